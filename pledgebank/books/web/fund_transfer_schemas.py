"""API schemas for transfers between funds. Money is integer minor units of the book's currency."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields
from pledgebank.books.fund_transfer_checks import BASIS_LABELS, PLACES, TEXT_LENGTH
from pledgebank.books.fund_transfer_models import STATUSES


class FundTransferCreateSchema(ma.Schema):
    """A proposed transfer from one fund to another."""

    idempotency_key = ma.fields.String(
        required=True,
        validate=[
            ma.validate.Length(min=16, max=64),
            ma.validate.Regexp(r"^[A-Za-z0-9_-]{16,64}$", error="Use 16 to 64 letters, digits, - or _."),
        ],
        metadata={"description": "A key you make once per transfer: sending it again proposes it once."},
    )
    from_fund = fields.slug(required=True, metadata={"description": "Slug of the fund the money leaves"})
    to_fund = fields.slug(required=True, metadata={"description": "Slug of the fund the money joins"})
    amount = fields.money(required=True)
    place = ma.fields.String(
        validate=ma.validate.OneOf(list(PLACES)),
        load_default="bank",
        metadata={"description": "Where the money is held: `bank` or `cash`"},
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=TEXT_LENGTH))
    basis = ma.fields.String(
        validate=ma.validate.OneOf(list(BASIS_LABELS)),
        load_default=None,
        allow_none=True,
        metadata={"description": "Out of a restricted fund only: `purpose_met` or `donors_agreed`"},
    )
    basis_note = ma.fields.String(
        validate=ma.validate.Length(max=TEXT_LENGTH),
        load_default="",
        metadata={"description": "Out of a restricted fund only: the evidence for the basis"},
    )


class FundTransferSchema(ma.Schema):
    """A transfer: waiting for approval, posted, declined or withdrawn."""

    id = ma.fields.Integer(dump_only=True)
    from_fund = ma.fields.String(dump_only=True)
    to_fund = ma.fields.String(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": fields.MINOR})
    currency = ma.fields.String(dump_only=True)
    place = ma.fields.String(dump_only=True)
    reason = ma.fields.String(dump_only=True)
    basis = ma.fields.String(dump_only=True)
    basis_note = ma.fields.String(dump_only=True)
    status = ma.fields.String(dump_only=True, metadata={"description": ", ".join(f"`{s}`" for s in STATUSES)})
    proposed_by = ma.fields.Integer(dump_only=True)
    decided_by = ma.fields.Integer(dump_only=True, allow_none=True)
    posted_on = ma.fields.Date(dump_only=True, allow_none=True)
    transaction_sequence = ma.fields.Integer(dump_only=True, allow_none=True)
