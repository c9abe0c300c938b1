"""Forms for levies: defining one, joining with an address and band, hardship, decisions, a register file.

The app-wide CSRF protection checks every POST before a view runs, so these forms carry the token as a
plain hidden input and do not check it again (several of them share one page).
"""

from __future__ import annotations

from datetime import date

from flask_wtf.file import FileField
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pledgebank.levies.bands import Band
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

BAND_CHOICES = [SelectChoice(band.value, f"Band {band.value}") for band in Band]


class _Form(Form):
    class Meta:
        csrf = False


def _date(field: Field, what: str) -> date | None:
    return form_date(field.data, what=what, example="2026-04-01")


class LevyForm(_Form):
    """Define a levy. Amounts are parsed into `parsed` (minor units), dates into `dates`."""

    fund = SelectField(
        "Fund the money goes to",
        validators=[DataRequired("Choose a fund.")],
        validate_choice=False,
        description="Choose a restricted fund only if what the levy pays for is that fund's purpose.",
    )
    name = StringField(
        "Name",
        validators=[DataRequired("Give the levy a name."), Length(max=120)],
        description="For example 'Street lighting' or 'Garden square upkeep'.",
    )
    purpose = TextAreaField(
        "What it pays for",
        validators=[DataRequired("Say what the levy pays for."), Length(max=4000)],
    )
    basis = RadioField(
        "Who pays what",
        choices=[
            SelectChoice("flat", "Every household pays the same"),
            SelectChoice(
                "banded", "By council-tax band: the amount is band D's, the other bands pay their share"
            ),
        ],
        validators=[DataRequired("Choose a flat amount or council-tax bands.")],
        default="flat",
    )
    amount = StringField(
        MoneyText("Amount each period, in {name}"),
        validators=[DataRequired("Enter the amount.")],
        description="Per household, or band D's amount for a banded levy. For example 5 or 7.50.",
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    period = RadioField(
        "How often",
        choices=[
            SelectChoice("monthly", "Monthly"),
            SelectChoice("quarterly", "Quarterly"),
            SelectChoice("annual", "Once a year"),
        ],
        validators=[DataRequired("Choose how often.")],
        default="monthly",
    )
    starts_on = StringField(
        "First period starts",
        validators=[DataRequired("Enter the date the first period starts.")],
        render_kw={"type": "date"},
    )
    ends_on = StringField(
        "Last day",
        validators=[Optional()],
        description="Leave blank for no end. No period starts on or after it.",
        render_kw={"type": "date"},
    )
    voluntary = BooleanField("Voluntary: households choose to join, and may leave")
    threshold = StringField(
        "Households needed before it starts",
        validators=[Optional()],
        description="Voluntary levies only. Leave blank to start straight away.",
        render_kw={"inputmode": "numeric"},
    )
    prorate = BooleanField(
        "A household joining part-way through a period pays only for its days", default=True
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: dict[str, int | None] = {}
        self.dates: dict[str, date | None] = {}

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self.parsed["amount"] = form_money(field.data, self.currency, what="the amount")

    def validate_threshold(self, field: Field) -> None:
        """A whole number, or blank."""
        self.parsed["threshold"] = form_count(field.data, what="the number of households", maximum=100_000)

    def validate_starts_on(self, field: Field) -> None:
        """A real calendar date."""
        self.dates["starts_on"] = _date(field, "the date")

    def validate_ends_on(self, field: Field) -> None:
        """A real calendar date, or blank."""
        self.dates["ends_on"] = _date(field, "the date")


class JoinForm(_Form):
    """Join a levy: the household's address and council-tax band."""

    address = StringField(
        "Your address",
        validators=[DataRequired("Enter your address."), Length(max=200)],
        description="House number or name, and street. Everyone in your household gives the same address.",
    )
    band = SelectField(
        "Council-tax band",
        choices=[SelectChoice("", "Choose your band"), *BAND_CHOICES],
        validators=[DataRequired("Choose your council-tax band.")],
        description="It is on your council-tax bill.",
    )


class HardshipForm(_Form):
    """Ask the committee to waive or reduce a charge."""

    reason = TextAreaField(
        "Why paying is hard",
        validators=[DataRequired("Tell the committee why."), Length(max=2000)],
        description="Only the committee reads this.",
    )
    amount = StringField(
        MoneyText("Reduce it by, in {name}"),
        validators=[Optional()],
        description="Leave blank to ask for the whole charge to be waived.",
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_amount: int | None = None

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self.parsed_amount = form_money(field.data, self.currency, what="the reduction")


class DecisionForm(_Form):
    """The committee's decision on a hardship request."""

    decision = RadioField(
        "Decision",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("refuse", "Refuse")],
        validators=[DataRequired("Choose approve or refuse.")],
    )
    amount = StringField(
        MoneyText("Amount to write off, in {name}"),
        validators=[Optional()],
        description="Leave blank for what was asked.",
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    note = TextAreaField("Note to the household", validators=[Length(max=2000)])

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_amount: int | None = None

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self.parsed_amount = form_money(field.data, self.currency, what="the amount")


class RegisterForm(_Form):
    """A household register to import: a CSV file with the columns address and band."""

    file = FileField("Household register (CSV)", description="The first line is the header: address,band")
