"""The Gift Aid API's schemas: a declaration, a claim, each bounded as the pages are."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.models import HOUSE_MAX, NAME_MAX, TITLE_MAX

# A claim names at most this many gifts (HMRC's schedule takes up to 1,000 rows a claim).
MAX_GIFTS = 1000
GIFT_REF_LENGTH = 40


class DeclarationCreateSchema(ma.Schema):
    """A declaration in HMRC's model words, made by the signed-in donor; `gift` for one pledge only."""

    scope = ma.fields.String(required=True, validate=ma.validate.OneOf([s.value for s in Scope]))
    gift = fields.count(
        metadata={"description": "The donor's pledge (signup id) a this-gift declaration is for."}
    )
    title = ma.fields.String(load_default="", validate=ma.validate.Length(max=TITLE_MAX))
    first_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=NAME_MAX))
    last_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=NAME_MAX))
    house = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=HOUSE_MAX))
    postcode = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=10))


class DeclarationSchema(ma.Schema):
    """A stored declaration, with the words agreed to and their SHA-256."""

    id = ma.fields.Integer(dump_only=True)
    scope = ma.fields.String(dump_only=True)
    gift_ref = ma.fields.String(dump_only=True, allow_none=True)
    made_on = ma.fields.Date(dump_only=True)
    wording = ma.fields.String(dump_only=True)
    wording_sha256 = ma.fields.String(dump_only=True)


class ClaimCreateSchema(ma.Schema):
    """A claim for a period: every eligible gift of it not claimed before, or only the gifts named."""

    period_start = fields.day(required=True)
    period_end = fields.day(required=True)
    gifts = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(min=1, max=GIFT_REF_LENGTH)),
        validate=ma.validate.Length(1, MAX_GIFTS, error="Give from {min} to {max} gifts."),
        metadata={"description": "Gift references (like pledge-signup:12), each once."},
    )


class ClaimSchema(ma.Schema):
    """A claim made: its period, totals in minor units, state and gifts."""

    id = ma.fields.Integer(dump_only=True)
    period_start = ma.fields.Date(dump_only=True)
    period_end = ma.fields.Date(dump_only=True)
    status = ma.fields.String(dump_only=True)
    currency = ma.fields.String(dump_only=True)
    gifts_total = ma.fields.Integer(dump_only=True)
    gift_aid = ma.fields.Integer(dump_only=True)
    gifts = ma.fields.Function(lambda claim: [line.gift_ref for line in claim.lines], dump_only=True)
