"""API schemas for refunds of card payments. Money is integer minor units of the book's currency."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields
from pledgebank.payments.refunds import REASONS

KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"


class RefundCreateSchema(ma.Schema):
    """A refund of part or all of a card payment."""

    idempotency_key = ma.fields.String(
        load_default=None,
        validate=[
            ma.validate.Length(min=16, max=64),
            ma.validate.Regexp(KEY_PATTERN, error="Use 16 to 64 letters, digits, - or _."),
        ],
        metadata={
            "description": "A key you make once per refund (or send it as the Idempotency-Key header): "
            "sending it again refunds once."
        },
    )
    amount = fields.money(
        load_default=None,
        allow_none=True,
        metadata={"description": f"{fields.MINOR}; up to what is left of the payment. Omitted: all of it."},
    )
    reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.OneOf(list(REASONS)),
        metadata={"description": "Stripe's reason for the refund: " + ", ".join(f"`{r}`" for r in REASONS)},
    )


class BookedRefundSchema(ma.Schema):
    """One refund as the books hold it."""

    id = ma.fields.String(dump_only=True, metadata={"description": "Stripe's refund id"})
    amount = ma.fields.Integer(dump_only=True, metadata={"description": fields.MINOR})
    currency = ma.fields.String(dump_only=True)
    status = ma.fields.String(
        dump_only=True, metadata={"description": "`succeeded`, or `failed` (its money came back)"}
    )
    on = ma.fields.Date(dump_only=True)
    transaction_sequence = ma.fields.Integer(dump_only=True)
    failed_on = ma.fields.Date(dump_only=True, allow_none=True)
    failure_sequence = ma.fields.Integer(dump_only=True, allow_none=True)


class PaymentRefundsSchema(ma.Schema):
    """A card payment, what is left of it to refund, and its refunds."""

    payment_intent = ma.fields.String(dump_only=True)
    gross = ma.fields.Integer(dump_only=True, metadata={"description": fields.MINOR})
    left = ma.fields.Integer(dump_only=True, metadata={"description": fields.MINOR})
    currency = ma.fields.String(dump_only=True)
    refunds = ma.fields.List(ma.fields.Nested(BookedRefundSchema), dump_only=True)
