"""The words for each kind of ledger transaction, from what its source records say (no database here).

A description names pledges, levies, grants, funds, suppliers and groups, never an individual: a resident who
pledged, paid a levy or received a grant is "a resident", and a donor is named only when they agreed to be.
Where the source records are gone (or never existed, as for entries made by hand in tests and demos) the words
fall back on what the transaction itself holds: its kind and the codes in its memo.

Each description is one whole translatable sentence (`_t`, or `_tn` where it counts people or households):
its value is English (the exports, the JSON API and comparisons read it), and a page shows it in its own
language; months and money are written in the locale the caller passes (the page's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from pledgebank import money_words
from pledgebank.ledger import kinds
from pledgebank.text import Message, _t, _tn

A_RESIDENT = _t("a resident")
TIMES = "\N{MULTIPLICATION SIGN}"
DEFAULT_LOCALE = money_words.DEFAULT_LOCALE

# What a group counts, for group_text: a pledge's card or cash payments, a levy's charges raised or paid.
PLEDGE_PAID = "pledge"
PLEDGE_PAID_IN_CASH = "pledge in cash"
LEVY_CHARGED = "levy charged"
LEVY_PAID = "levy paid"


@dataclass(frozen=True, slots=True)
class Link:
    """What a transaction came from, for a page to link to: a pledge, levy or grant id, or a fund slug."""

    kind: str
    ref: int | str


@dataclass(frozen=True, slots=True)
class Group:
    """Alike transactions that read better together ("5 people, times £10"), keyed alike (the key holds
    ids and codes, never words, so it is the same in every language); `counts` says what (PLEDGE_PAID ...)."""

    key: tuple[object, ...]
    subject: str
    counts: str
    unit: int


@dataclass(frozen=True, slots=True)
class Described:
    """A transaction in words, what it links to, and (for one of many alike) how it reads in a group."""

    text: str
    link: Link | None = None
    group: Group | None = None


@dataclass(frozen=True, slots=True)
class PledgeFacts:
    """What a description says of a pledge, and of the signup when there is one."""

    id: int
    title: str
    currency: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class ChargeFacts:
    """What a description says of a levy charge: the levy, its period and the amount."""

    levy_id: int
    levy_name: str
    period: str
    period_start: date | None
    currency: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class GrantFacts:
    """What a description says of a grant: its title and who received it (a group, or a resident)."""

    id: int
    title: str
    recipient: str


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What a description says of a treasurer's entry (donor only when they agreed to be named)."""

    kind: str
    payee: str
    purpose: str
    donor: str


@dataclass(frozen=True, slots=True)
class TransferFacts:
    """What a description says of a transfer between funds."""

    from_fund: str
    to_fund: str
    reason: str


@dataclass(frozen=True, slots=True)
class DividendFacts:
    """What a description says of a community dividend agreement: its title and the body that pays."""

    id: int
    title: str
    body: str


def memo_details(memo: str) -> dict[str, str]:
    """The `name=value` codes of a memo ("refund fund=roof income=pledges" gives fund and income)."""
    return dict(part.split("=", 1) for part in memo.split()[1:] if "=" in part)


def period_words(period: str, start: date | None, locale: str = DEFAULT_LOCALE) -> str:
    """A levy period as people say it: "November 2026", "the quarter from November 2026", and so on (the
    month's name in locale)."""
    if start is None:
        return ""
    month = format_date(start, "MMMM y", locale=locale)
    if period == "quarterly":
        return _t("the quarter from %(month)s", month=month)
    if period == "annual":
        return _t("the year from %(day)s", day=format_date(start, "d MMMM y", locale=locale))
    return month


def pledge_words(kind: str, pledge: PledgeFacts, locale: str = DEFAULT_LOCALE) -> Described:
    """A pledge's card payment, cash held, kept or given back, or a refund of its card payment."""
    subject = _t("Pledge: %(title)s", title=pledge.title)
    link = Link("pledge", pledge.id)
    amount = pledge.amount
    if kind in (kinds.CARD_PAYMENT_RECEIVED, kinds.PLEDGE_CASH_RECOGNISED) and amount:
        counts = PLEDGE_PAID_IN_CASH if kind == kinds.PLEDGE_CASH_RECOGNISED else PLEDGE_PAID
        group = Group(("pledge", pledge.id, kind), subject, counts, amount)
        return Described(group_text(group, 1, {amount}, pledge.currency, locale), link, group)
    title = pledge.title
    text = {
        kinds.PLEDGE_CASH_HELD: _t("Pledge: %(title)s — cash held until the pledge succeeds", title=title),
        kinds.PLEDGE_CASH_RETURNED: _t("Pledge: %(title)s — cash given back", title=title),
        **_about_a_payment(title),
        kinds.MATCH_OWED: _t("Match funding promised for %(title)s", title=title),
        kinds.MATCH_RECEIVED: _t("Match funding received for %(title)s", title=title),
    }.get(kind, subject)
    return Described(text, link)


def _about_a_payment(title: str) -> dict[str, str]:
    """The words of a refund or dispute of a card payment for title (a pledge's, or a levy charge's)."""
    return {
        kinds.REFUND: _t("Refund of a card payment for %(title)s", title=title),
        kinds.REFUND_FAILED: _t(
            "Refund of a card payment for %(title)s failed; the money came back", title=title
        ),
        kinds.DISPUTE_FUNDS_WITHDRAWN: _t(
            "Card payment for %(title)s disputed; the money is held back", title=title
        ),
        kinds.DISPUTE_FUNDS_REINSTATED: _t(
            "Disputed card payment for %(title)s won; the money came back", title=title
        ),
    }


def charge_words(kind: str, charge: ChargeFacts, hardship: bool, locale: str = DEFAULT_LOCALE) -> Described:
    """A levy charge raised, paid, reduced or written off, or a refund of its card payment."""
    when = period_words(charge.period, charge.period_start, locale)
    subject = (
        _t("Levy: %(levy)s, %(when)s", levy=charge.levy_name, when=when)
        if when
        else _t("Levy: %(levy)s", levy=charge.levy_name)
    )
    link = Link("levy", charge.levy_id)
    start = charge.period_start.isoformat() if charge.period_start else ""
    if kind in (kinds.RECEIVABLE_RAISED, kinds.RECEIVABLE_SETTLED):
        counts = LEVY_CHARGED if kind == kinds.RECEIVABLE_RAISED else LEVY_PAID
        group = Group(("levy", charge.levy_id, charge.period, start, kind), subject, counts, 0)
        if kind == kinds.RECEIVABLE_SETTLED:
            return Described(_t("%(subject)s charge paid", subject=subject), link, group)
        return Described(_t("%(subject)s charge", subject=subject), link, group)
    if kind == kinds.RECEIVABLE_WRITTEN_OFF:
        if hardship:
            return Described(_t("%(subject)s charge reduced for hardship", subject=subject), link)
        return Described(_t("%(subject)s charge written off", subject=subject), link)
    return Described(_about_a_payment(subject).get(kind, subject), link)


def grant_words(kind: str, grant: GrantFacts) -> Described:
    """A grant awarded, paid, or its unspent money returned."""
    link = Link("grant", grant.id)
    to, title = grant.recipient, grant.title
    if kind == kinds.GRANT_PAID:
        return Described(_t("Grant paid to %(recipient)s: %(title)s", recipient=to, title=title), link)
    if kind == kinds.GRANT_RETURNED:
        return Described(
            _t("Unspent grant money returned by %(recipient)s: %(title)s", recipient=to, title=title), link
        )
    return Described(_t("Grant to %(recipient)s: %(title)s", recipient=to, title=title), link)


def dividend_words(kind: str, agreement: DividendFacts) -> Described:
    """A community dividend earned from a body (owed), or its payment received."""
    link = Link("dividend", agreement.id)
    body, title = agreement.body, agreement.title
    if kind == kinds.DIVIDEND_RECEIVED:
        return Described(
            _t("Community dividend received from %(body)s: %(title)s", body=body, title=title), link
        )
    return Described(_t("Community dividend earned from %(body)s: %(title)s", body=body, title=title), link)


def entry_words(entry: EntryFacts, fund: str | None) -> Described:
    """A treasurer's entry: a donation, a payment to a supplier, bank charges or interest, and so on."""
    link = Link("fund", fund) if fund else None
    if entry.kind == kinds.DONATION_RECEIVED:
        if entry.donor:
            return Described(_t("Donation from %(donor)s", donor=entry.donor), link)
        return Described(_t("Donation (anonymous)"), link)
    if entry.kind == kinds.SUPPLIER_PAID:
        payee, purpose = entry.payee, entry.purpose
        if payee and purpose:
            return Described(_t("Paid %(payee)s: %(purpose)s", payee=payee, purpose=purpose), link)
        if payee:
            return Described(_t("Paid %(payee)s", payee=payee), link)
        if purpose:
            return Described(_t("Paid a supplier: %(purpose)s", purpose=purpose), link)
        return Described(_t("Paid a supplier"), link)
    return Described(kind_words(entry.kind, {}), link)


def transfer_words(transfer: TransferFacts, fund: str | None) -> Described:
    """A transfer of money between two funds, with its reason."""
    names = {"from_fund": transfer.from_fund, "to_fund": transfer.to_fund}
    text = (
        _t("Transfer from %(from_fund)s to %(to_fund)s: %(reason)s", reason=transfer.reason, **names)
        if transfer.reason
        else _t("Transfer from %(from_fund)s to %(to_fund)s", **names)
    )
    return Described(text, Link("fund", fund) if fund else None)


_INCOME = {
    "pledges": _t("for a pledge"),
    "levies": _t("for a levy"),
    "donations": _t("(a donation)"),
    "grants": "",
}
_PLACES = {
    "assets:bank": _t("by bank transfer"),
    "assets:cash": _t("in cash"),
    "assets:stripe-clearing": _t("by card"),
}


class _Lowered(Message):
    """Words shown in lower case, in whichever language they are shown (after "Correction of ...: ")."""

    def __new__(cls, words: str) -> _Lowered:
        message = str.__new__(cls, words.lower())
        message.msgid, message.values = "%(words)s", {"words": words}
        return message

    def __str__(self) -> str:
        return str(self.values["words"]).lower()

    def __reduce__(self) -> tuple[object, ...]:
        return (_Lowered, (self.values["words"],))


def _joined(*parts: str) -> str:
    """Parts of a sentence one after another, a space between (the empty ones left out), each translated
    where it is shown: for the words of a kind whose details (how the money came, what for) may be missing."""
    given = [part for part in parts if part]
    words = given[0] if given else ""
    for part in given[1:]:
        words = _t("%(words)s %(more)s", words=words, more=part)
    return words


def kind_words(
    kind: str, details: dict[str, str], fund_names: dict[str, str] | None = None, locale: str = DEFAULT_LOCALE
) -> str:
    """The words for a transaction whose source records are not known: its kind and memo codes only."""
    names = {slug: " ".join(name.split()) for slug, name in (fund_names or {}).items()}
    income = _INCOME.get(details.get("income", ""), "")
    fund = names.get(details.get("fund", ""), "")
    by = _PLACES.get(details.get("into", "") or details.get("source_account", ""), "")
    if kind == kinds.CASH_RECEIVED and details.get("income") == "donations":
        return _joined(_t("Donation (anonymous)"), by)
    if kind == kinds.REVERSAL:
        original = kind_words(details.get("of", ""), {}, names, locale)
        return _t("Correction of an earlier entry: %(words)s", words=_Lowered(original))
    if kind == kinds.YEAR_CLOSED and details.get("through"):
        through = format_date(date.fromisoformat(details["through"]), "d MMMM y", locale=locale)
        return _t("Year closed to %(day)s", day=through)
    if kind == kinds.FUND_TRANSFER:
        # "another" (fund) after "one fund": "Transfer from one fund to another".
        one_fund, another = _t("one fund"), _t("another")
        return _t(
            "Transfer from %(from_fund)s to %(to_fund)s",
            from_fund=names.get(details.get("from", ""), one_fund),
            to_fund=names.get(details.get("to", ""), another),
        )
    if kind == kinds.GRANT_AWARDED:
        return _t("Grant awarded from %(fund)s", fund=fund) if fund else _t("Grant awarded")
    words = {
        kinds.CARD_PAYMENT_RECEIVED: (_t("Card payment"), income),
        kinds.CASH_RECEIVED: (_t("Money received"), by, income),
        kinds.REFUND: (_t("Refund of a payment"), income, by),
        kinds.PAYOUT: (_t("Card payments paid into the bank by Stripe"),),
        kinds.CASH_BANKED: (_t("Cash paid into the bank"),),
        kinds.RECEIVABLE_RAISED: (_t("Levy charge"),),
        kinds.RECEIVABLE_SETTLED: (_t("Levy charge paid"), by),
        kinds.RECEIVABLE_WRITTEN_OFF: (_t("Levy charge written off"),),
        kinds.GRANT_PAID: (_t("Grant paid"), by),
        kinds.GRANT_RETURNED: (_t("Unspent grant money returned"),),
        kinds.MATCH_OWED: (_t("Match funding promised for a pledge"),),
        kinds.MATCH_RECEIVED: (_t("Match funding received"), by),
        kinds.PLEDGE_CASH_HELD: (_t("Pledge: cash held until the pledge succeeds"),),
        kinds.PLEDGE_CASH_RECOGNISED: (_t("Pledge: cash kept, the pledge succeeded"),),
        kinds.PLEDGE_CASH_RETURNED: (_t("Pledge: cash given back"),),
        kinds.DISPUTE_FUNDS_WITHDRAWN: (_t("Card payment disputed; the money is held back"),),
        kinds.DISPUTE_FUNDS_REINSTATED: (_t("Disputed card payment won; the money came back"),),
        kinds.REFUND_FAILED: (_t("Refund of a card payment failed; the money came back"),),
        kinds.DONATION_RECEIVED: (_t("Donation (anonymous)"),),
        kinds.SUPPLIER_PAID: (_t("Paid a supplier"),),
        kinds.BANK_CHARGES: (_t("Bank charges"),),
        kinds.BANK_INTEREST: (_t("Bank interest"),),
        kinds.OPENING_BALANCE: (_t("Opening balance"),),
        kinds.LEGACY_ATTRIBUTED: (
            _t("Money held before funds were kept apart, shared out between the funds"),
        ),
        kinds.DIVIDEND_EARNED: (_t("Community dividend earned, owed by the body that agreed it"),),
        kinds.DIVIDEND_RECEIVED: (_t("Community dividend received"), by),
        kinds.GIFT_AID_CLAIMED: (_t("Gift Aid claimed from HMRC"),),
        kinds.GIFT_AID_RECEIVED: (_t("Gift Aid received from HMRC"), by),
        kinds.YEAR_CLOSED: (_t("Year closed"),),
    }.get(kind)
    if words is None:
        return " ".join(kind.replace("_", " ").capitalize().split())
    return _joined(*words)


def group_text(group: Group, count: int, units: set[int], currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The words for `count` alike transactions together ("Pledge: X — 5 people, times £10"), the money
    written in locale."""
    subject = group.subject
    if group.counts == LEVY_CHARGED:
        return _tn(
            "%(subject)s — %(count)s household charged",
            "%(subject)s — %(count)s households charged",
            count,
            subject=subject,
            count=count,
        )
    if group.counts == LEVY_PAID:
        return _tn(
            "%(subject)s — %(count)s household paid",
            "%(subject)s — %(count)s households paid",
            count,
            subject=subject,
            count=count,
        )
    in_cash = group.counts == PLEDGE_PAID_IN_CASH
    if len(units) <= 1:
        money = money_words.full(min(units, default=group.unit), currency, locale)
        if in_cash:
            return _tn(
                "%(subject)s — %(count)s person × %(money)s in cash",  # noqa: RUF001
                "%(subject)s — %(count)s people × %(money)s in cash",  # noqa: RUF001
                count,
                subject=subject,
                count=count,
                money=money,
            )
        return _tn(
            "%(subject)s — %(count)s person × %(money)s",  # noqa: RUF001
            "%(subject)s — %(count)s people × %(money)s",  # noqa: RUF001
            count,
            subject=subject,
            count=count,
            money=money,
        )
    low, high = money_words.full(min(units), currency, locale), money_words.full(max(units), currency, locale)
    if in_cash:
        return _tn(
            "%(subject)s — %(count)s person, %(low)s to %(high)s each in cash",
            "%(subject)s — %(count)s people, %(low)s to %(high)s each in cash",
            count,
            subject=subject,
            count=count,
            low=low,
            high=high,
        )
    return _tn(
        "%(subject)s — %(count)s person, %(low)s to %(high)s each",
        "%(subject)s — %(count)s people, %(low)s to %(high)s each",
        count,
        subject=subject,
        count=count,
        low=low,
        high=high,
    )
