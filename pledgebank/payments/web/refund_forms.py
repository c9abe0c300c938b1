"""The refund form on the card payments page: an amount, in the book's currency."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, StringField, ValidationError

from pledgebank.text import _t
from pledgebank.web.fields import form_money
from pledgebank.web.form_base import Form, MoneyText


class RefundForm(Form):
    """Refund part or all of a card payment; the amount is parsed into `minor` (minor units)."""

    # One key per filling-in of the form: sent again (a retry after a timeout), it is the same refund.
    request_key = HiddenField()
    amount = StringField(
        _l("Amount to refund"),
        description=MoneyText("{Units}, up to what is left of the payment."),
        # Phones offer their number pad with a decimal point, as for every other amount of money.
        render_kw={"inputmode": "decimal", "spellcheck": "false"},
    )

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.request_key.data:
            self.request_key.data = secrets.token_urlsafe(24)
        self.currency = currency
        self.minor: int | None = None

    def validate_amount(self, field: Field) -> None:
        """Money above zero, as the service's one strict parser reads it."""
        self.minor = form_money(field.data, self.currency, what=_t("the amount to refund"))
        if self.minor is None:
            raise ValidationError(_l("Enter the amount to refund."))
