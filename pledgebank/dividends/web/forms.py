"""Forms for community dividends: drafting an agreement, the evidence, the body's signature, verification or
dispute, the committee's answer and the treasurer's record of the payment.

The app-wide CSRF protection checks every POST before a view runs, so the forms do not check it again.
"""

from __future__ import annotations

from typing import Any

from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from pledgebank.dividends.models import BODY_KINDS
from pledgebank.dividends.terms import Tier
from pledgebank.inputs import MAX_LINES
from pledgebank.pulse.questions import CORE
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

MONEY_INPUT = {"inputmode": "decimal", "spellcheck": "false"}
NUMBER_INPUT = {"inputmode": "numeric"}
FIGURE_MAX = 1_000_000_000


def _required(message: str) -> list:
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
        raise ValidationError(f"Give at most {MAX_LINES} lines.")
    for number, line in enumerate(lines, start=1):
        reached, colon, amount = line.partition(":")
        if not colon or not reached.strip() or not amount.strip():
            raise ValidationError(
                f"Line {number}: give the outcome, a colon and the payment, like '35: 1000'."
            )
        figure = form_count(reached, what=f"the outcome on line {number}", minimum=0, maximum=FIGURE_MAX)
        money = form_money(amount, currency, what=f"the payment on line {number}")
        assert figure is not None and money is not None  # neither is blank
        tiers.append(Tier(figure, money))
    return tuple(tiers)


class AgreementForm(DividendForm):
    """Draft an agreement, or a new version of one."""

    title = StringField("Title", validators=[*_required("Give the agreement a title."), Length(max=120)])
    body_name = StringField("The body", validators=[*_required("Name the body."), Length(max=120)])
    body_kind = SelectField(
        "Kind of body", choices=[SelectChoice(k, v) for k, v in BODY_KINDS.items()], validate_choice=False
    )
    fund_slug = SelectField("Paid into", validators=_required("Choose a fund."), validate_choice=False)
    outcome_name = StringField("Outcome", validators=[*_required("Name the outcome."), Length(max=120)])
    outcome_unit = StringField(
        "Unit", validators=[*_required("Give its unit."), Length(max=40)], description="Like 'fires a year'."
    )
    outcome_measure = SelectField(
        "Where the outcome's figures come from",
        choices=[
            SelectChoice("", "Figures the neighbourhood reports"),
            *(SelectChoice(q.key, f"The neighbourhood pulse: {q.measure} (percent agreeing)") for q in CORE),
        ],
        validate_choice=False,
        description="A pulse measure is verified from the survey's own results, round by round.",
    )
    direction = RadioField(
        "Better when it goes",
        choices=[SelectChoice("down", "Down"), SelectChoice("up", "Up")],
        validators=_required("Choose up or down."),
    )
    baseline_value = StringField(
        "Baseline", validators=_required("Give the baseline."), render_kw=NUMBER_INPUT
    )
    baseline_source = StringField(
        "Source of the baseline", validators=[*_required("Give the source."), Length(max=4000)]
    )
    baseline_period = StringField(
        "Period of the baseline", validators=[*_required("Give the period."), Length(max=60)]
    )
    target_value = StringField("Target", validators=_required("Give the target."), render_kw=NUMBER_INPUT)
    deadline = StringField("Deadline", validators=_required("Give the deadline."), render_kw={"type": "date"})
    evidence_required = TextAreaField(
        "Evidence required", validators=[*_required("Say what evidence is needed."), Length(max=4000)]
    )
    terms_kind = RadioField(
        "Payment",
        choices=[
            SelectChoice("fixed", "A fixed payment once the target is reached"),
            SelectChoice("tiered", "Tiers: more for a better outcome"),
            SelectChoice("pro_rata", "Pro rata, from a floor to the target and beyond, up to the cap"),
        ],
        validators=_required("Choose how the payment is worked out."),
    )
    amount = StringField(
        MoneyText("Payment at the target, in {name}"),
        validators=[Optional()],
        render_kw=MONEY_INPUT,
        description="For a fixed or pro-rata payment.",
    )
    floor_value = StringField(
        "Floor",
        validators=[Optional()],
        render_kw=NUMBER_INPUT,
        description="For pro rata: nothing is paid up to it.",
    )
    tiers = TextAreaField(
        "Tiers",
        validators=[Optional()],
        description="For tiers: one per line, the outcome and the payment, like '35: 1000'.",
    )
    cap = StringField(
        MoneyText("Cap, in {name}"), validators=_required("Give the cap."), render_kw=MONEY_INPUT
    )
    signatory_name = StringField(
        "Who signs for the body", validators=[*_required("Name them."), Length(max=120)]
    )
    signatory_email = StringField(
        "Signatory's email",
        validators=[*_required("Give their email."), Email("Give an email address."), Length(max=254)],
    )
    verifier_name = StringField(
        "Who verifies the outcome", validators=[*_required("Name them."), Length(max=120)]
    )
    verifier_email = StringField(
        "Verifier's email",
        validators=[*_required("Give their email."), Email("Give an email address."), Length(max=254)],
    )

    def validate_baseline_value(self, field: Field) -> None:
        """A whole number."""
        self._figure(field, "the baseline")

    def validate_target_value(self, field: Field) -> None:
        """A whole number."""
        self._figure(field, "the target")

    def validate_floor_value(self, field: Field) -> None:
        """A whole number, or blank."""
        self._figure(field, "the floor")

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self._money(field, "the payment")

    def validate_cap(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, "the cap")

    def validate_deadline(self, field: Field) -> None:
        """A date."""
        self.parsed["deadline"] = form_date(field.data, what="the deadline")

    def validate_tiers(self, field: Field) -> None:
        """The tier lines."""
        self.parsed["tiers"] = parse_tiers(field.data, self.currency)


class EvidenceForm(DividendForm):
    """The outcome's figure for a period."""

    period = StringField("Period", validators=[*_required("Name the period."), Length(max=60)])
    value = StringField("Figure", validators=_required("Give the figure."), render_kw=NUMBER_INPUT)
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=4000)])

    def validate_value(self, field: Field) -> None:
        """A whole number."""
        self._figure(field, "the figure")


class SignForm(DividendForm):
    """A signature of the terms shown (their hash travels with the form)."""

    terms_hash = StringField("Terms", validators=_required("Sign the terms shown on this page."))


class DisputeForm(DividendForm):
    """The verifier disputes the evidence."""

    reasons = TextAreaField("Why", validators=[*_required("Say why."), Length(max=4000)])


class AnswerForm(DividendForm):
    """The committee answers a dispute."""

    reply = TextAreaField("Your answer", validators=[*_required("Give your answer."), Length(max=4000)])


class PaymentForm(DividendForm):
    """The treasurer records the body's bank transfer."""

    paid_on = StringField("Arrived on", validators=_required("Give the date."), render_kw={"type": "date"})
    reference = StringField("Bank reference", validators=[Optional(), Length(max=60)])

    def validate_paid_on(self, field: Field) -> None:
        """A date."""
        self.parsed["paid_on"] = form_date(field.data, what="the date")


class EmptyForm(DividendForm):
    """A button with nothing to fill in."""
