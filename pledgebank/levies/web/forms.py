"""Forms for levies: defining one, joining with an address and band, hardship, decisions, a register file.

The app-wide CSRF protection checks every POST before a view runs, so these forms carry the token as a
plain hidden input and do not check it again (several of them share one page).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pledgebank.levies.bands import Band
from pledgebank.text import _t
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

BAND_CHOICES = [SelectChoice(band.value, _l("Band %(band)s", band=band.value)) for band in Band]


class _Form(Form):
    class Meta:
        csrf = False


def _date(field: Field, what: str) -> date | None:
    return form_date(field.data, what=what, example="2026-04-01")


class LevyForm(_Form):
    """Define a levy. Amounts are parsed into `parsed` (minor units), dates into `dates`."""

    fund = SelectField(
        _l("Fund the money goes to"),
        validators=[DataRequired(_l("Choose a fund."))],
        validate_choice=False,
        description=_l("Choose a restricted fund only if what the levy pays for is that fund's purpose."),
    )
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the levy a name.")), Length(max=120)],
        description=_l("For example 'Street lighting' or 'Garden square upkeep'."),
    )
    purpose = TextAreaField(
        _l("What it pays for"),
        validators=[DataRequired(_l("Say what the levy pays for.")), Length(max=4000)],
    )
    basis = RadioField(
        _l("Who pays what"),
        choices=[
            SelectChoice("flat", _l("Every household pays the same")),
            SelectChoice(
                "banded", _l("By council-tax band: the amount is band D's, the other bands pay their share")
            ),
        ],
        validators=[DataRequired(_l("Choose a flat amount or council-tax bands."))],
        default="flat",
    )
    amount = StringField(
        MoneyText("Amount each period, in {name}"),
        validators=[DataRequired(_l("Enter the amount."))],
        description=_l("Per household, or band D's amount for a banded levy. For example 5 or 7.50."),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    period = RadioField(
        _l("How often"),
        choices=[
            SelectChoice("monthly", _l("Monthly")),
            SelectChoice("quarterly", _l("Quarterly")),
            SelectChoice("annual", _l("Once a year")),
        ],
        validators=[DataRequired(_l("Choose how often."))],
        default="monthly",
    )
    starts_on = StringField(
        _l("First period starts"),
        validators=[DataRequired(_l("Enter the date the first period starts."))],
        render_kw={"type": "date"},
    )
    ends_on = StringField(
        _l("Last day"),
        validators=[Optional()],
        description=_l("Leave blank for no end. No period starts on or after it."),
        render_kw={"type": "date"},
    )
    voluntary = BooleanField(_l("Voluntary: households choose to join, and may leave"))
    threshold = StringField(
        _l("Households needed before it starts"),
        validators=[Optional()],
        description=_l("Voluntary levies only. Leave blank to start straight away."),
        render_kw={"inputmode": "numeric"},
    )
    prorate = BooleanField(
        _l("A household joining part-way through a period pays only for its days"), default=True
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: dict[str, int | None] = {}
        self.dates: dict[str, date | None] = {}

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self.parsed["amount"] = form_money(field.data, self.currency, what=_t("the amount"))

    def validate_threshold(self, field: Field) -> None:
        """A whole number, or blank."""
        self.parsed["threshold"] = form_count(
            field.data, what=_t("the number of households"), maximum=100_000
        )

    def validate_starts_on(self, field: Field) -> None:
        """A real calendar date."""
        self.dates["starts_on"] = _date(field, _t("the date"))

    def validate_ends_on(self, field: Field) -> None:
        """A real calendar date, or blank."""
        self.dates["ends_on"] = _date(field, _t("the date"))


class JoinForm(_Form):
    """Join a levy: the household's address and council-tax band."""

    address = StringField(
        _l("Your address"),
        validators=[DataRequired(_l("Enter your address.")), Length(max=200)],
        description=_l(
            "House number or name, and street. Everyone in your household gives the same address."
        ),
    )
    band = SelectField(
        _l("Council-tax band"),
        choices=[SelectChoice("", _l("Choose your band")), *BAND_CHOICES],
        validators=[DataRequired(_l("Choose your council-tax band."))],
        description=_l("It is on your council-tax bill."),
    )


class HardshipForm(_Form):
    """Ask the committee to waive or reduce a charge."""

    reason = TextAreaField(
        _l("Why paying is hard"),
        validators=[DataRequired(_l("Tell the committee why.")), Length(max=2000)],
        description=_l("Only the committee reads this."),
    )
    amount = StringField(
        MoneyText("Reduce it by, in {name}"),
        validators=[Optional()],
        description=_l("Leave blank to ask for the whole charge to be waived."),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_amount: int | None = None

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self.parsed_amount = form_money(field.data, self.currency, what=_t("the reduction"))


class DecisionForm(_Form):
    """The committee's decision on a hardship request."""

    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("refuse", _l("Refuse"))],
        validators=[DataRequired(_l("Choose approve or refuse."))],
    )
    amount = StringField(
        MoneyText("Amount to write off, in {name}"),
        validators=[Optional()],
        description=_l("Leave blank for what was asked."),
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    note = TextAreaField(_l("Note to the household"), validators=[Length(max=2000)])

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_amount: int | None = None

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self.parsed_amount = form_money(field.data, self.currency, what=_t("the amount"))


class RegisterForm(_Form):
    """A household register to import: a CSV file with the columns address and band."""

    file = FileField(
        _l("Household register (CSV)"), description=_l("The first line is the header: address,band")
    )
