"""The treasurer's form for money received in cash or by bank transfer: how much, on which day, and how."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from pledgebank.text import _t
from pledgebank.web.fields import form_date, form_money
from pledgebank.web.form_base import Form, MoneyText


class CashReceivedForm(Form):
    """Money received; `parsed_amount` (minor units) and `received_date` hold the parsed values."""

    class Meta:
        csrf = False  # the app-wide CSRF protection has already checked the token

    into = RadioField(
        _l("How it was paid"),
        choices=[SelectChoice("cash", _l("In cash")), SelectChoice("bank", _l("By bank transfer"))],
        validators=[DataRequired(_l("Choose cash or bank transfer."))],
    )
    amount = StringField(
        MoneyText("Amount received, in {name}"),
        validators=[DataRequired(_l("Enter the amount received."))],
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )
    received_on = StringField(
        _l("Day it was received"),
        validators=[DataRequired(_l("Enter the day the money was received."))],
        render_kw={"type": "date"},
    )
    owed = HiddenField()
    confirm = HiddenField()

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_amount: int | None = None
        self.received_date: date | None = None

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, above zero, by the one strict parser."""
        self.parsed_amount = form_money(field.data, self.currency, what=_t("the amount"))

    def validate_received_on(self, field: Field) -> None:
        """A real calendar date."""
        self.received_date = form_date(field.data, what=_t("the day"))

    @property
    def confirmed(self) -> bool:
        """Whether this press is the treasurer's confirmation (not the first press on a list's button)."""
        return self.confirm.data == "yes"

    @property
    def owed_amount(self) -> int | None:
        """What the form said was owed when it was opened (minor units), if it says."""
        text = (self.owed.data or "").strip()
        return int(text) if text.isdigit() and len(text) < 16 else None
