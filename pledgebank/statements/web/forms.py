"""The bank statement forms: an upload with its CSV column mapping, what to do with a line, a reconciliation.

The file itself is read by the view (its size bounded before it is read whole); what is wrong with it is said
beside the file field, or beside the mapping field that names a column the file does not have.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import Field, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from pledgebank.ledger import kinds
from pledgebank.statements.csv_parser import DATE_FORMATS, Layout
from pledgebank.text import _t
from pledgebank.web.fields import form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

POST_KINDS = {
    kinds.BANK_CHARGES: _l("Bank charges"),
    kinds.BANK_INTEREST: _l("Interest paid by the bank"),
    kinds.DONATION_RECEIVED: _l("A donation paid into the bank"),
}


def _sent(_form: Form, field: Field) -> None:
    """A browser sends every text input, blank or not: one missing was left out by hand."""
    if field.raw_data == []:
        raise ValidationError(_l("This field was not sent: reload the page and fill the form in again."))


def _text(label: str, description: str = "") -> StringField:  # label, description: lazy text
    return StringField(label, [_sent], description=description)


class UploadForm(Form):
    """A statement file; for CSV, the bank's name and which of its columns hold what."""

    file = FileField(
        _l("Statement file"),
        description=_l("CSV, OFX or QFX, or CAMT.053 XML, as online banking exports it (2 MB at most)."),
    )
    bank = _text(_l("Bank (CSV only)"), _l("The mapping below is saved under this name."))
    date_column = _text(_l("Date column"))
    date_format = SelectField(
        _l("Date format"), choices=[SelectChoice(fmt, example) for fmt, example in DATE_FORMATS.items()]
    )
    description_column = _text(_l("Description column"))
    amount_column = _text(_l("Amount column"), _l("Money in positive, money out negative."))
    paid_in_column = _text(_l("Paid in column"), _l("Instead of one amount column."))
    paid_out_column = _text(_l("Paid out column"))
    reference_column = _text(_l("Reference column"))
    balance_column = _text(_l("Balance column"))

    def layout(self) -> Layout:
        """The mapping as typed."""
        return Layout(
            date_column=self.date_column.data or "",
            date_format=self.date_format.data or "",
            description_column=self.description_column.data or "",
            amount_column=self.amount_column.data or "",
            paid_in_column=self.paid_in_column.data or "",
            paid_out_column=self.paid_out_column.data or "",
            reference_column=self.reference_column.data or "",
            balance_column=self.balance_column.data or "",
        )


class PostLineForm(Form):
    """Record a line the books do not have."""

    kind = SelectField(
        _l("Record it as"), choices=[SelectChoice(kind, label) for kind, label in POST_KINDS.items()]
    )
    fund = SelectField(_l("Fund"), choices=[], validate_choice=False)
    remember = StringField(
        _l("Remember for lines whose description contains"),
        description=_l(
            "Optional: words of the description, so that such lines are offered the same next time."
        ),
    )


class MatchForm(Form):
    """Confirm a suggested match."""

    transaction = HiddenField()


class ReconcileForm(Form):
    """Reconcile the bank at a date."""

    on = StringField(_l("Statement date"), description=_l("Like 2025-12-31."), render_kw={"type": "date"})
    statement_balance = StringField(
        _l("Statement balance (optional)"),
        description=MoneyText(
            "In {units}, as the statement shows it; left blank, it is read from the lines."
        ),
        render_kw={"inputmode": "decimal"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_balance: int | None = None

    def validate_on(self, field: Field) -> None:
        """A date is needed."""
        if form_date(field.data, what=_t("the statement date"), example="2025-12-31") is None:
            raise ValidationError(_l("Enter the statement date, like 2025-12-31."))

    def validate_statement_balance(self, field: Field) -> None:
        """Money, or blank."""
        self.parsed_balance = form_money(
            field.data, self.currency, what=_t("the statement balance"), allow_zero=True
        )
