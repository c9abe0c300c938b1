"""The forms of the export and statement pages.

Making an export records it, so its form is posted with a CSRF token; the statements change nothing and are
GET forms without one.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from pledgebank.exports import formats
from pledgebank.inputs import InputError, check_date
from pledgebank.text import _t
from pledgebank.web.form_base import Form

FORMAT_CHOICES = [SelectChoice(fmt.name, fmt.label) for fmt in formats.FORMATS]


def _in_years(form: FlaskForm, field: DateField) -> None:
    """A date typed in ASCII digits, within the years the books can hold."""
    if not all(text.isascii() for text in field.raw_data or []):
        raise ValidationError(_l("Enter the date like 2026-03-14."))
    if field.data is not None:
        try:
            check_date(field.data, what=_t("the date"))
        except InputError as error:
            raise ValidationError(error.message) from None


class _GetForm(Form):
    class Meta:
        csrf = False


class ExportForm(Form):
    """What to export: a format, optionally one fund and a range of dates."""

    format = RadioField(
        _l("Format"), choices=FORMAT_CHOICES, validators=[DataRequired(_l("Choose a format."))]
    )
    fund = SelectField(_l("Fund"), choices=[SelectChoice("", _l("Every fund"))], validators=[Optional()])
    date_from = DateField(
        _l("From"), validators=[Optional(), _in_years], description=_l("The first date to include.")
    )
    date_to = DateField(
        _l("To"), validators=[Optional(), _in_years], description=_l("The last date to include.")
    )

    def validate_date_to(self, field: DateField) -> None:
        """The range must not end before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Choose an end date on or after the start date."))


class TrialBalanceForm(_GetForm):
    """The date of a trial balance."""

    on = DateField(_l("Balances at the end of"), validators=[DataRequired(_l("Choose a date.")), _in_years])


class YearForm(_GetForm):
    """The financial year of a receipts-and-payments account, by the calendar year it starts in."""

    year = IntegerField(
        _l("Financial year starting in"),
        validators=[
            DataRequired(_l("Enter a year, like 2026.")),
            NumberRange(2000, 2100, _l("Enter a year, like 2026.")),
        ],
    )
