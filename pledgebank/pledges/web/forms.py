"""Forms for pledges: starting one, pledging, saving a test card, and the committee's and treasurer's tools.

The app-wide CSRF protection checks every POST before a view runs, so these forms carry the token as a
plain hidden input and do not check it again (several of them share one page).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from pledgebank import inputs
from pledgebank.inputs import InputError
from pledgebank.neighbourhoods.funds import fund_label
from pledgebank.neighbourhoods.models import Fund
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.web.social_forms import shown_as_field
from pledgebank.text import _t
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

OWN_FUND = "+own"  # not a fund slug (slugs are letters, digits and hyphens)
_CLOCK_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")


class _Form(Form):
    class Meta:
        csrf = False


class PledgeForm(_Form):
    """Start a pledge. Amounts are parsed into `parsed` (minor units), the deadline into `deadline_utc`.

    A pledge of time leaves the money fields blank (the service refuses any it is given)."""

    kind = RadioField(
        _l("What each person gives"),
        choices=[
            SelectChoice("money", _l("Money: each person pays if the target is met")),
            SelectChoice("time", _l("Time (or anything else but money): no payment, nothing in the books")),
        ],
        validators=[DataRequired(_l("Choose a pledge of money or of time."))],
        default="money",
    )
    fund = RadioField(
        _l("Fund the money goes to"),
        description=_l("Money pledged for something may be spent only on it: grant rounds cannot spend it."),
        validate_choice=False,
        default=OWN_FUND,
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the pledge a title.")), Length(max=120)],
        description=_l("Short and concrete, for example 'Mend the playground fence'."),
    )
    action = StringField(
        _l("Your pledge in one sentence (optional)"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Finish the sentence in at most 200 characters.")),
        ],
        description=MoneyText(
            "Finish the sentence “I will …”, for example 'mend the playground fence'. It is shown as “Your "
            "Name will mend the playground fence with {whole_10} a person, but only if 5 people will too.”"
        ),
    )
    description = TextAreaField(
        _l("What will happen"),
        validators=[DataRequired(_l("Say what will happen if the pledge succeeds.")), Length(max=4000)],
        description=_l("What the money pays for, who does it and when."),
    )
    next_steps = TextAreaField(
        _l("What happens next (pledges of time)"),
        validators=[Length(max=2000)],
        description=_l(
            "Sent to everyone who signed up once the target is met: where and when to meet, what to "
            "bring. Leave blank for a pledge of money."
        ),
    )
    amount_kind = RadioField(
        _l("How much each person pledges"),
        choices=[
            SelectChoice("fixed", _l("Everyone pledges the same amount")),
            SelectChoice("minimum", _l("Everyone pledges at least an amount, and may give more")),
        ],
        validators=[DataRequired(_l("Choose a fixed amount or a minimum."))],
        default="fixed",
    )
    amount = StringField(
        MoneyText("Amount per person, in {name}"),
        description=_l(
            "The fixed amount, or the minimum. For example 10 or 7.50. Blank for a pledge of time."
        ),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    target_pledgers = StringField(
        _l("Number of people needed"),
        validators=[Optional()],
        description=_l("Set this, a money target, or both (then both must be met)."),
        render_kw={"inputmode": "numeric"},
    )
    target_amount = StringField(
        MoneyText("Money needed, in {name}"),
        validators=[Optional()],
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    deadline = StringField(
        _l("Deadline date"),
        validators=[DataRequired(_l("Enter the date of the deadline."))],
        description=_l("UK time. If the target is not met by then, nobody pays."),
        render_kw={"type": "date"},
    )
    deadline_time = StringField(
        _l("Deadline time"),
        validators=[DataRequired(_l("Enter the time of the deadline."))],
        render_kw={"type": "time"},
    )
    cap = StringField(
        _l("Most people who can pledge"),
        validators=[Optional()],
        description=_l("Leave blank for no limit."),
        render_kw={"inputmode": "numeric"},
    )
    allow_cash = BooleanField(_l("Let people pay in cash or by bank transfer to the treasurer"), default=True)

    def __init__(self, *args, currency: str = "GBP", zone: str = "Europe/London", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency, self.zone = currency, zone
        self.parsed: dict[str, int | None] = {}
        self.deadline_utc: datetime | None = None

    def validate_fund(self, field: Field) -> None:
        """The pledge's own fund, or one of the funds offered."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of the funds offered."))

    @property
    def fund_slug(self) -> str | None:
        """The existing fund chosen, or None for the pledge's own restricted fund."""
        return None if self.fund.data in (OWN_FUND, None, "") else self.fund.data

    def offer_funds(self, offered: list[Fund], *, pledge: Pledge | None = None, current: Fund | None = None):
        """The choices: the pledge's own fund first, then the fund it pays into now, then those offered."""
        if pledge is not None and pledge.own_fund and current is not None:
            own = _l(
                "Its own restricted fund, “%(name)s”: the money may be spent only on what it says",
                name=current.name,
            )
        else:
            own = _l("A new restricted fund for this pledge: the money may be spent only on what it says")
        others = [fund for fund in offered if current is None or fund.id != current.id]
        if current is not None and not (pledge is not None and pledge.own_fund):
            others.insert(0, current)
        self.fund.choices = [SelectChoice(OWN_FUND, own)]
        self.fund.choices += [SelectChoice(fund.slug, fund_label(fund)) for fund in others]

    def _money(self, field: Field, what: str) -> None:
        self.parsed[field.name] = form_money(field.data, self.currency, what=what)

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, above zero (needed for a pledge of money)."""
        if self.kind.data != "time" and not (field.data or "").strip():
            raise ValidationError(_l("Enter the amount each person pledges."))
        self._money(field, _t("the amount"))

    def validate_target_amount(self, field: Field) -> None:
        """Pounds and pence, above zero, or blank."""
        self._money(field, _t("the money needed"))

    def validate_target_pledgers(self, field: Field) -> None:
        """A whole number, or blank."""
        self.parsed[field.name] = form_count(field.data, what=_t("the number of people"))

    def validate_cap(self, field: Field) -> None:
        """A whole number, or blank."""
        self.parsed[field.name] = form_count(field.data, what=_t("the most people"))

    def validate_deadline(self, field: Field) -> None:
        """A real calendar date."""
        form_date(field.data)

    def validate_deadline_time(self, field: Field) -> None:
        """A time of day; with the date, it becomes an instant in UTC."""
        text = (field.data or "").strip()
        try:
            if not _CLOCK_TIME.fullmatch(text):
                raise ValueError(text)
            moment = time.fromisoformat(text)
        except ValueError:
            raise ValidationError(_l("Enter the time like 18:00.")) from None
        try:
            day = inputs.parse_date(self.deadline.data, what=_t("the date"))
        except InputError:
            return  # reported beside the date
        if day is None:
            return
        local = datetime.combine(day, moment.replace(tzinfo=None), tzinfo=ZoneInfo(self.zone))
        self.deadline_utc = local.astimezone(UTC)


class SignForm(_Form):
    """Pledge: an amount when the pledge sets a minimum, and card or cash when both are possible."""

    amount = StringField(
        MoneyText("Your amount, in {name}"),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    method = RadioField(
        _l("How you will pay"),
        choices=[
            SelectChoice(
                "card", _l("By card: we save it now and take the money only if the pledge succeeds")
            ),
            SelectChoice("cash", _l("In cash or by bank transfer to the treasurer")),
        ],
        validators=[DataRequired(_l("Choose card or cash."))],
    )
    shown_as = shown_as_field()


class CancelForm(_Form):
    """Cancel a pledge, with the reason pledgers are told."""

    reason = TextAreaField(
        _l("Reason for cancelling"),
        validators=[
            DataRequired(_l("Say why the pledge is cancelled; pledgers will be told.")),
            Length(max=2000),
        ],
    )


class UpdateForm(_Form):
    """News for the pledgers."""

    body = TextAreaField(
        _l("Update"),
        validators=[DataRequired(_l("Write the update.")), Length(max=4000)],
        description=_l("Emailed to everyone who has pledged, and shown here to everyone."),
    )


class OfferForm(_Form):
    """A sponsor's match offer."""

    sponsor_name = StringField(
        _l("Sponsor's name"), validators=[DataRequired(_l("Give the sponsor's name.")), Length(max=120)]
    )
    ratio = StringField(
        _l("Ratio"),
        validators=[DataRequired(_l("Give the ratio, like 1:1."))],
        description=MoneyText(
            "The sponsor's {name} for every {name_one} pledged: 1:1 matches {name_one} for {name_one}, "
            "1:2 gives {whole_1} for every {whole_2}."
        ),
    )
    cap = StringField(
        MoneyText("Most the sponsor will give, in {name}"),
        validators=[DataRequired(_l("Give the most the sponsor will give."))],
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.cap_amount: int | None = None

    def validate_cap(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self.cap_amount = form_money(field.data, self.currency, what=_t("the most the sponsor will give"))
