"""The forms of the examiner pages: the chair's appointment, the checklist's threshold, one-button posts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField
from wtforms.validators import DataRequired

from pledgebank.text import _t
from pledgebank.web.fields import form_money
from pledgebank.web.form_base import Form, MoneyText


class AppointForm(Form):
    """Invite an independent examiner for a financial year."""

    name = StringField(_l("Examiner's name"), validators=[DataRequired(_l("Enter the examiner's name."))])
    email = StringField(
        _l("Examiner's email address"),
        validators=[DataRequired(_l("Enter the examiner's email address."))],
        description=_l("The invitation goes here; they accept it signed in with this address."),
        render_kw={"type": "email", "autocomplete": "off"},
    )
    # Choices (financial years, by the calendar year each starts in) are set by the page.
    year = SelectField(_l("Financial year to examine"), choices=[], coerce=int, validate_choice=True)


class ButtonForm(Form):
    """A form that is only a button (ending an appointment, accepting an invitation)."""


class ThresholdForm(Form):
    """Payments above the threshold need a second approver (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    threshold = StringField(
        _l("Payments above this need two approvers"),
        description=MoneyText("In {units}, like 250.00."),
        render_kw={"inputmode": "decimal"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: int | None = None

    def validate_threshold(self, field: Field) -> None:
        """An amount of money (zero means every payment)."""
        self.parsed = form_money(field.data, self.currency, what=_t("the threshold"), allow_zero=True)
