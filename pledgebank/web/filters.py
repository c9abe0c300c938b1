"""Every template filter, in one place: money with Babel, times in the neighbourhood's time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from pledgebank import money_words
from pledgebank.accounts.names import distinct_names
from pledgebank.grants.states import LABELS
from pledgebank.ledger import kinds as k
from pledgebank.ledger.money import Money
from pledgebank.web.i18n import locale_name
from pledgebank.web.links import link_label, link_url
from pledgebank.web.mailer import absolute_url


def _currency(currency: str | None) -> str:
    return currency or current_app.config["CURRENCY"]


def money(value: Money | None) -> str:
    """Money for people, every minor digit shown (money_words.full)."""
    if value is None:
        return ""
    return money_words.full(value.amount, value.currency, locale_name())


def minor(amount: int | None, currency: str | None = None) -> str:
    """Minor units for people in the given (or configured) currency (money_words.full)."""
    if amount is None:
        return ""
    return money_words.full(amount, _currency(currency), locale_name())


def when(value: datetime | None, fmt: str = "d MMM yyyy, HH:mm") -> str:
    """Format an aware datetime in the service's time zone."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return format_datetime(local, fmt, locale=locale_name())


def until_words(value: datetime | None) -> str:
    """A moment something runs until: '31 January 2027, 18:00', or 'the end of 31 January 2027' for a
    local midnight (not '1 February 2027, 00:00', which reads as a day later than meant)."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day = local - timedelta(days=1)
        return _("the end of %(day)s", day=format_datetime(day, "d MMMM yyyy", locale=locale_name()))
    return format_datetime(local, "d MMMM yyyy, HH:mm", locale=locale_name())


def full_stop(text: str) -> str:
    """End a sentence with a full stop, unless what it ends with already has one ('Food Share.' stays as it
    is rather than becoming 'Food Share..')."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "!", "?", "…")) else stripped + "."


def member_labels(members, officer: bool) -> dict[int, str]:
    """Members' names by user id, told apart where several share one (see accounts.names)."""
    joined = {m.user_id: _("joined %(day)s", day=when(m.joined_at, "d MMM yyyy")) for m in members}
    people = [(m.user_id, m.user.display_name, m.user.email) for m in members]
    return distinct_names(people, officer=officer, hints=joined)


def short_money(amount: int | None, currency: str | None = None) -> str:
    """Money for sentences, whole amounts without minor digits (money_words.short)."""
    if amount is None:
        return ""
    return money_words.short(amount, _currency(currency), locale_name())


def major_money(units: int, currency: str | None = None) -> str:
    """Whole major units (a sponsor's ratio, say) for sentences (money_words.whole)."""
    return money_words.whole(units, _currency(currency), locale_name())


def time_until(moment: datetime | None, start: datetime) -> str:
    """How long from start until moment, in the largest whole unit: '3 days', '5 hours', '40 minutes'."""
    if moment is None or moment <= start:
        return _("no time")
    left = moment - start
    for unit, size in (
        ("day", timedelta(days=1)),
        ("hour", timedelta(hours=1)),
        ("minute", timedelta(minutes=1)),
    ):
        if left >= size:
            return _units(left // size, unit)
    return _("less than a minute")


def _units(count: int, unit: str) -> str:
    if unit == "day":
        return ngettext("%(num)d day", "%(num)d days", count)
    if unit == "hour":
        return ngettext("%(num)d hour", "%(num)d hours", count)
    return ngettext("%(num)d minute", "%(num)d minutes", count)


def time_left(moment: datetime | None, now: datetime) -> str:
    """How long until moment, in days and hours ('2 days and 5 hours'), hours and minutes under a day."""
    if moment is None or moment <= now:
        return _("no time")
    days, rest = divmod(moment - now, timedelta(days=1))
    hours, rest = divmod(rest, timedelta(hours=1))
    minutes = rest // timedelta(minutes=1)
    big, small = (("day", days), ("hour", hours)) if days else (("hour", hours), ("minute", minutes))
    if not big[1]:
        return _units(minutes, "minute") if minutes else _("less than a minute")
    if not small[1]:
        return _units(big[1], big[0])
    return _("%(larger)s and %(smaller)s", larger=_units(big[1], big[0]), smaller=_units(small[1], small[0]))


def day(value: date | None) -> str:
    """A calendar date for people: 2 March 2026."""
    if value is None:
        return ""
    return format_date(value, "d MMMM yyyy", locale=locale_name())


def month_year(value: date | None) -> str:
    """A month for people, in the page's language: March 2026 / Mawrth 2026."""
    if value is None:
        return ""
    return format_date(value, "LLLL yyyy", locale=locale_name())


def short_month(value: date | None) -> str:
    """A month's short name, in the page's language (a chart's axis): Mar / Maw."""
    if value is None:
        return ""
    return format_date(value, "LLL", locale=locale_name())


def grant_status(application) -> str:
    """An application's status in words, in the page's language."""
    return str(LABELS[application.status])


# Each kind of ledger transaction in words; in English, the kind with spaces for its underscores.
_KIND_WORDS = {
    k.CARD_PAYMENT_RECEIVED: _l("card payment received"),
    k.CASH_RECEIVED: _l("cash received"),
    k.REFUND: _l("refund"),
    k.PAYOUT: _l("payout"),
    k.CASH_BANKED: _l("cash banked"),
    k.RECEIVABLE_RAISED: _l("receivable raised"),
    k.RECEIVABLE_SETTLED: _l("receivable settled"),
    k.RECEIVABLE_WRITTEN_OFF: _l("receivable written off"),
    k.GRANT_AWARDED: _l("grant awarded"),
    k.GRANT_PAID: _l("grant paid"),
    k.GRANT_RETURNED: _l("grant returned"),
    k.MATCH_OWED: _l("match owed"),
    k.MATCH_RECEIVED: _l("match received"),
    k.REVERSAL: _l("reversal"),
    k.PLEDGE_CASH_HELD: _l("pledge cash held"),
    k.PLEDGE_CASH_RECOGNISED: _l("pledge cash recognised"),
    k.PLEDGE_CASH_RETURNED: _l("pledge cash returned"),
    k.YEAR_CLOSED: _l("year closed"),
    k.DISPUTE_FUNDS_WITHDRAWN: _l("dispute funds withdrawn"),
    k.DISPUTE_FUNDS_REINSTATED: _l("dispute funds reinstated"),
    k.REFUND_FAILED: _l("refund failed"),
    k.DONATION_RECEIVED: _l("donation received"),
    k.SUPPLIER_PAID: _l("supplier paid"),
    k.BANK_CHARGES: _l("bank charges"),
    k.BANK_INTEREST: _l("bank interest"),
    k.OPENING_BALANCE: _l("opening balance"),
    k.LEGACY_ATTRIBUTED: _l("legacy attributed"),
    k.FUND_TRANSFER: _l("fund transfer"),
    k.DIVIDEND_EARNED: _l("dividend earned"),
    k.DIVIDEND_RECEIVED: _l("dividend received"),
    k.GIFT_AID_CLAIMED: _l("gift aid claimed"),
    k.GIFT_AID_RECEIVED: _l("gift aid received"),
}


def ledger_kind(kind: str) -> str:
    """A ledger transaction's kind in words, in the page's language (an unknown kind as it is written)."""
    words = _KIND_WORDS.get(kind)
    return str(words) if words is not None else kind.replace("_", " ")


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(money)
    app.add_template_filter(minor)
    app.add_template_filter(when)
    app.add_template_filter(until_words)
    app.add_template_filter(full_stop)
    app.add_template_filter(short_money)
    app.add_template_filter(major_money)
    app.add_template_filter(time_until)
    app.add_template_filter(time_left)
    app.add_template_filter(day)
    app.add_template_filter(month_year)
    app.add_template_filter(short_month)
    app.add_template_filter(grant_status)
    app.add_template_filter(ledger_kind)
    app.add_template_global(absolute_url)
    app.add_template_global(link_url, "money_link")
    app.add_template_global(link_label, "money_link_label")
    app.add_template_global(member_labels)
