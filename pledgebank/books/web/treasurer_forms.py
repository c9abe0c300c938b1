"""The "Record money" form: one form with a choice of entry kind; each kind uses the fields it needs.

Amounts are read by the one strict money parser; what a kind requires (a payee, a fund, bank or cash) is
checked by the service, whose errors are placed beside the same fields.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from pledgebank.books.treasurer_checks import ENTRY_KINDS, EntryTerms
from pledgebank.text import _t
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText


def new_form_key() -> str:
    """A one-time key for one filling-in of the form: sending it twice records the entry once."""
    return secrets.token_urlsafe(24)


class RecordMoneyForm(Form):
    """Record a donation, cash banked, a supplier payment, bank charges or interest, opening balances or a
    correction."""

    form_key = HiddenField()
    kind = RadioField(
        _l("What happened"),
        choices=[SelectChoice(kind, label) for kind, label in ENTRY_KINDS.items()],
        validate_choice=False,
    )
    on = StringField(
        _l("Date"), description=_l("The day the money moved, like 2026-03-14."), render_kw={"type": "date"}
    )
    fund = SelectField(_l("Fund"), choices=[], validate_choice=False)
    amount = StringField(
        _l("Amount"),
        description=MoneyText("In {units}, like 12.50. For opening balances: what the bank held."),
        render_kw={"inputmode": "decimal"},
    )
    cash_amount = StringField(
        _l("Cash held (opening balances only)"),
        description=_l("What the treasurer held in cash when the books started; 0 if none."),
        render_kw={"inputmode": "decimal"},
    )
    place = RadioField(
        _l("Bank or cash (donations and supplier payments)"),
        choices=[SelectChoice("bank", _l("Bank")), SelectChoice("cash", _l("Cash"))],
        validate_choice=False,
    )
    description = TextAreaField(_l("Description"), description=_l("What this was, in a few words. Required."))
    donor = StringField(
        _l("Donor (donations, optional)"), description=_l("Not shown on public pages unless they agree.")
    )
    donor_public = BooleanField(_l("The donor agreed to be named on public pages"))
    payee = StringField(_l("Paid to (supplier payments)"))
    purpose = StringField(_l("What the payment was for (supplier payments)"))
    # The neighbourhood's categories not retired (set by the page); the service refuses any other.
    category = SelectField(_l("Expense category (supplier payments)"), choices=[], validate_choice=False)
    for_fund_purpose = BooleanField(_l("This payment is for the fund's stated purpose (restricted funds)"))
    transaction = StringField(
        _l("Transaction number to reverse (corrections)"),
        description=_l("The number shown beside it on the ledger page."),
        render_kw={"inputmode": "numeric"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: dict[str, int | None] = {}

    def validate_on(self, field: Field) -> None:
        """A calendar date."""
        self.parsed_on = form_date(field.data, what=_t("the date"))

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence (zero only as an opening balance, which the service checks)."""
        self.parsed["amount"] = form_money(field.data, self.currency, what=_t("the amount"), allow_zero=True)

    def validate_cash_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self.parsed["cash_amount"] = form_money(
            field.data, self.currency, what=_t("the cash held"), allow_zero=True
        )

    def validate_transaction(self, field: Field) -> None:
        """A transaction number, or blank."""
        self.parsed["transaction"] = form_count(field.data, what=_t("the transaction number"))

    def terms(self) -> EntryTerms:
        """What was typed, for the service (call after validate())."""
        return EntryTerms(
            kind=self.kind.data or "",
            on=getattr(self, "parsed_on", None),
            description=self.description.data or "",
            amount=self.parsed.get("amount"),
            fund=self.fund.data or "",
            place=self.place.data or "",
            cash_amount=self.parsed.get("cash_amount"),
            donor=self.donor.data or "",
            donor_public=bool(self.donor_public.data),
            payee=self.payee.data or "",
            category=self.category.data or "",
            purpose=self.purpose.data or "",
            for_fund_purpose=bool(self.for_fund_purpose.data),
            transaction=self.parsed.get("transaction"),
        )
