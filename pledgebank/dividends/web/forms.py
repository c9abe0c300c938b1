"""Forms for community dividends: drafting an agreement, the evidence, the body's signature, verification or
dispute, the committee's answer and the treasurer's record of the payment.

The app-wide CSRF protection checks every POST before a view runs, so the forms do not check it again.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from pledgebank.dividends.models import BODY_KINDS
from pledgebank.dividends.terms import Tier
from pledgebank.inputs import MAX_LINES
from pledgebank.pulse.questions import CORE
from pledgebank.text import _t
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

MONEY_INPUT = {"inputmode": "decimal", "spellcheck": "false"}
NUMBER_INPUT = {"inputmode": "numeric"}
FIGURE_MAX = 1_000_000_000


def _required(message: str) -> list:  # message: lazy text
    return [DataRequired(message)]


class DividendForm(Form):
    """A form that parses money, figures and dates into `parsed`, by field name."""

    class Meta:
        csrf = False

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: dict[str, Any] = {}

    def _money(self, field: Field, what: str) -> None:
        self.parsed[field.short_name] = form_money(field.data, self.currency, what=what)

    def _figure(self, field: Field, what: str) -> None:
        self.parsed[field.short_name] = form_count(field.data, what=what, minimum=0, maximum=FIGURE_MAX)


def parse_tiers(text: str | None, currency: str) -> tuple[Tier, ...]:
    """Tiers, one per line: "outcome: payment" ("35: 1,000"). Raises ValidationError naming the bad line."""
    tiers = []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise ValidationError(_("Give at most %(num)d lines.", num=MAX_LINES))
    for number, line in enumerate(lines, start=1):
        reached, colon, amount = line.partition(":")
        if not colon or not reached.strip() or not amount.strip():
            raise ValidationError(
                _(
                    "Line %(number)s: give the outcome, a colon and the payment, like '35: 1000'.",
                    number=number,
                )
            )
        figure = form_count(
            reached, what=_t("the outcome on line %(number)s", number=number), minimum=0, maximum=FIGURE_MAX
        )
        money = form_money(amount, currency, what=_t("the payment on line %(number)s", number=number))
        assert figure is not None and money is not None  # neither is blank
        tiers.append(Tier(figure, money))
    return tuple(tiers)


class AgreementForm(DividendForm):
    """Draft an agreement, or a new version of one."""

    title = StringField(
        _l("Title"), validators=[*_required(_l("Give the agreement a title.")), Length(max=120)]
    )
    body_name = StringField(_l("The body"), validators=[*_required(_l("Name the body.")), Length(max=120)])
    body_kind = SelectField(
        _l("Kind of body"), choices=[SelectChoice(k, v) for k, v in BODY_KINDS.items()], validate_choice=False
    )
    fund_slug = SelectField(
        _l("Paid into"), validators=_required(_l("Choose a fund.")), validate_choice=False
    )
    outcome_name = StringField(
        _l("Outcome"), validators=[*_required(_l("Name the outcome.")), Length(max=120)]
    )
    outcome_unit = StringField(
        _l("Unit"),
        validators=[*_required(_l("Give its unit.")), Length(max=40)],
        description=_l(_l("Like 'fires a year'.")),
    )
    outcome_measure = SelectField(
        _l("Where the outcome's figures come from"),
        choices=[
            SelectChoice("", _l("Figures the neighbourhood reports")),
            *(
                SelectChoice(
                    q.key, _l("The neighbourhood pulse: %(measure)s (percent agreeing)", measure=q.measure)
                )
                for q in CORE
            ),
        ],
        validate_choice=False,
        description=_l("A pulse measure is verified from the survey's own results, round by round."),
    )
    direction = RadioField(
        _l("Better when it goes"),
        choices=[SelectChoice("down", _l("Down")), SelectChoice("up", _l("Up"))],
        validators=_required(_l("Choose up or down.")),
    )
    baseline_value = StringField(
        _l("Baseline"), validators=_required(_l("Give the baseline.")), render_kw=NUMBER_INPUT
    )
    baseline_source = StringField(
        _l("Source of the baseline"), validators=[*_required(_l("Give the source.")), Length(max=4000)]
    )
    baseline_period = StringField(
        _l("Period of the baseline"), validators=[*_required(_l("Give the period.")), Length(max=60)]
    )
    target_value = StringField(
        _l("Target"), validators=_required(_l("Give the target.")), render_kw=NUMBER_INPUT
    )
    deadline = StringField(
        _l("Deadline"), validators=_required(_l("Give the deadline.")), render_kw={"type": "date"}
    )
    evidence_required = TextAreaField(
        _l("Evidence required"), validators=[*_required(_l("Say what evidence is needed.")), Length(max=4000)]
    )
    terms_kind = RadioField(
        _l("Payment"),
        choices=[
            SelectChoice("fixed", _l("A fixed payment once the target is reached")),
            SelectChoice("tiered", _l("Tiers: more for a better outcome")),
            SelectChoice("pro_rata", _l("Pro rata, from a floor to the target and beyond, up to the cap")),
        ],
        validators=_required(_l("Choose how the payment is worked out.")),
    )
    amount = StringField(
        MoneyText("Payment at the target, in {name}"),
        validators=[Optional()],
        render_kw=MONEY_INPUT,
        description=_l("For a fixed or pro-rata payment."),
    )
    floor_value = StringField(
        _l("Floor"),
        validators=[Optional()],
        render_kw=NUMBER_INPUT,
        description=_l("For pro rata: nothing is paid up to it."),
    )
    tiers = TextAreaField(
        _l("Tiers"),
        validators=[Optional()],
        description=_l(_l("For tiers: one per line, the outcome and the payment, like '35: 1000'.")),
    )
    cap = StringField(
        MoneyText("Cap, in {name}"), validators=_required(_l("Give the cap.")), render_kw=MONEY_INPUT
    )
    signatory_name = StringField(
        _l("Who signs for the body"), validators=[*_required(_l("Name them.")), Length(max=120)]
    )
    signatory_email = StringField(
        _l("Signatory's email"),
        validators=[
            *_required(_l("Give their email.")),
            Email(_l("Give an email address.")),
            Length(max=254),
        ],
    )
    verifier_name = StringField(
        _l("Who verifies the outcome"), validators=[*_required(_l("Name them.")), Length(max=120)]
    )
    verifier_email = StringField(
        _l("Verifier's email"),
        validators=[
            *_required(_l("Give their email.")),
            Email(_l("Give an email address.")),
            Length(max=254),
        ],
    )

    def validate_baseline_value(self, field: Field) -> None:
        """A whole number."""
        self._figure(field, _t("the baseline"))

    def validate_target_value(self, field: Field) -> None:
        """A whole number."""
        self._figure(field, _t("the target"))

    def validate_floor_value(self, field: Field) -> None:
        """A whole number, or blank."""
        self._figure(field, _t("the floor"))

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self._money(field, _t("the payment"))

    def validate_cap(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, _t("the cap"))

    def validate_deadline(self, field: Field) -> None:
        """A date."""
        self.parsed["deadline"] = form_date(field.data, what=_t("the deadline"))

    def validate_tiers(self, field: Field) -> None:
        """The tier lines."""
        self.parsed["tiers"] = parse_tiers(field.data, self.currency)


class EvidenceForm(DividendForm):
    """The outcome's figure for a period."""

    period = StringField(_l("Period"), validators=[*_required(_l("Name the period.")), Length(max=60)])
    value = StringField(_l("Figure"), validators=_required(_l("Give the figure.")), render_kw=NUMBER_INPUT)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def validate_value(self, field: Field) -> None:
        """A whole number."""
        self._figure(field, _t("the figure"))


class SignForm(DividendForm):
    """A signature of the terms shown (their hash travels with the form)."""

    terms_hash = StringField(_l("Terms"), validators=_required(_l("Sign the terms shown on this page.")))


class DisputeForm(DividendForm):
    """The verifier disputes the evidence."""

    reasons = TextAreaField(_l("Why"), validators=[*_required(_l("Say why.")), Length(max=4000)])


class AnswerForm(DividendForm):
    """The committee answers a dispute."""

    reply = TextAreaField(
        _l("Your answer"), validators=[*_required(_l("Give your answer.")), Length(max=4000)]
    )


class PaymentForm(DividendForm):
    """The treasurer records the body's bank transfer."""

    paid_on = StringField(
        _l("Arrived on"), validators=_required(_l("Give the date.")), render_kw={"type": "date"}
    )
    reference = StringField(_l("Bank reference"), validators=[Optional(), Length(max=60)])

    def validate_paid_on(self, field: Field) -> None:
        """A date."""
        self.parsed["paid_on"] = form_date(field.data, what=_t("the date"))


class EmptyForm(DividendForm):
    """A button with nothing to fill in."""
