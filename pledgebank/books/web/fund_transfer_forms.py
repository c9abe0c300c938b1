"""The form proposing a transfer between funds. The amount is read by the one strict money parser; which
funds may send and receive, and the basis restricted money needs, are checked by the service beside the same
fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from pledgebank.books.fund_transfer_checks import BASIS_LABELS, TransferTerms
from pledgebank.text import _t
from pledgebank.web.fields import form_money
from pledgebank.web.form_base import Form, MoneyText


class FundTransferForm(Form):
    """Propose moving money from one fund to another."""

    form_key = HiddenField()
    from_fund = SelectField(_l("From fund"), choices=[], validate_choice=False)
    to_fund = SelectField(_l("To fund"), choices=[], validate_choice=False)
    amount = StringField(
        _l("Amount"), description=MoneyText("In {units}, like 120.00."), render_kw={"inputmode": "decimal"}
    )
    place = RadioField(
        _l("Where the money is held"),
        choices=[SelectChoice("bank", _l("In the bank")), SelectChoice("cash", _l("In cash"))],
        default="bank",
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reason"), description=_l("Why the money moves, as the minutes will record it. Required.")
    )
    basis = RadioField(
        _l("Basis for moving restricted money (restricted funds only)"),
        description=_l("Money given for a purpose moves only once the purpose is met or the donors agreed."),
        choices=[SelectChoice(value, label) for value, label in BASIS_LABELS.items()],
        validate_choice=False,
    )
    basis_note = StringField(
        _l("How you know (restricted funds only)"),
        description=_l("What was done, or which donors agreed and when."),
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed_amount: int | None = None

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, more than zero."""
        self.parsed_amount = form_money(field.data, self.currency, what=_t("the amount"))

    def terms(self) -> TransferTerms:
        """What was typed, for the service (call after validate())."""
        return TransferTerms(
            from_fund=self.from_fund.data or "",
            to_fund=self.to_fund.data or "",
            amount=self.parsed_amount,
            place=self.place.data or "",
            reason=self.reason.data or "",
            basis=self.basis.data or "",
            basis_note=self.basis_note.data or "",
        )
