"""API schemas for treasurer entries. Money is integer minor units of the book's currency."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields
from pledgebank.books.treasurer_checks import DESCRIPTION_LENGTH, ENTRY_KINDS, NAME_LENGTH, PLACES
from pledgebank.inputs import MAX_MONEY
from pledgebank.ledger import chart

_KINDS = ", ".join(f"`{kind}`" for kind in ENTRY_KINDS)


class TreasurerEntryCreateSchema(ma.Schema):
    """One treasurer entry; each kind uses the fields it needs and ignores the rest."""

    idempotency_key = ma.fields.String(
        required=True,
        validate=[
            ma.validate.Length(min=16, max=64),
            ma.validate.Regexp(r"^[A-Za-z0-9_-]{16,64}$", error="Use 16 to 64 letters, digits, - or _."),
        ],
        metadata={"description": "A key you make once per entry: sending it again records the entry once."},
    )
    kind = ma.fields.String(
        required=True, validate=ma.validate.OneOf(list(ENTRY_KINDS)), metadata={"description": _KINDS}
    )
    on = fields.day(required=True, metadata={"description": "The day the money moved; not in a closed year."})
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=DESCRIPTION_LENGTH))
    fund = fields.slug(
        load_default="general", metadata={"description": "Slug of one of the neighbourhood's funds"}
    )
    amount = fields.money(
        load_default=None,
        metadata={
            "description": f"{fields.MINOR}. For `opening_balance`, what the bank held (may be omitted)."
        },
    )
    cash_amount = fields.count(
        minimum=0,
        maximum=MAX_MONEY,
        load_default=None,
        metadata={"description": f"`opening_balance` only: cash held. {fields.MINOR}"},
    )
    place = ma.fields.String(
        validate=ma.validate.OneOf(list(PLACES)),
        load_default="",
        metadata={"description": "`donation` and `supplier_payment`: `bank` or `cash`"},
    )
    donor = ma.fields.String(validate=ma.validate.Length(max=NAME_LENGTH), load_default="")
    donor_public = ma.fields.Boolean(
        load_default=False, metadata={"description": "May the donor be named publicly"}
    )
    payee = ma.fields.String(validate=ma.validate.Length(max=NAME_LENGTH), load_default="")
    purpose = ma.fields.String(validate=ma.validate.Length(max=DESCRIPTION_LENGTH), load_default="")
    category = ma.fields.String(
        validate=ma.validate.Length(max=chart.CATEGORY_SLUG_MAX_LENGTH),
        load_default="",
        metadata={"description": "`supplier_payment`: the slug of one of the neighbourhood's categories"},
    )
    for_fund_purpose = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Confirms a payment from a restricted fund serves its purpose"},
    )
    transaction = fields.count(
        maximum=MAX_MONEY,
        load_default=None,
        metadata={"description": "`correction`: the sequence to reverse"},
    )


class TreasurerEntrySchema(ma.Schema):
    """A recorded entry: posted, or waiting for a second approver."""

    id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.String(dump_only=True)
    status = ma.fields.String(dump_only=True, metadata={"description": "`posted` or `awaiting_approval`"})
    amount = ma.fields.Integer(dump_only=True, metadata={"description": fields.MINOR})
    cash_amount = ma.fields.Integer(dump_only=True, metadata={"description": fields.MINOR})
    on = ma.fields.Date(dump_only=True, attribute="effective_date")
    description = ma.fields.String(dump_only=True)
    transaction_sequence = ma.fields.Integer(dump_only=True, allow_none=True)
