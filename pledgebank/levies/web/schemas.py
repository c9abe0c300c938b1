"""API schemas for levies, their households and charges. Money is integer minor units with its currency."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields

_MINOR = "In minor units of `currency` (pence for GBP)"
# The most households a voluntary levy may wait for.
MAX_HOUSEHOLDS = 100_000


class LevyCreateSchema(ma.Schema):
    """A new levy (a draft until the chair and a committee member approve it)."""

    fund = fields.slug(required=True, metadata={"description": "Slug of one of the neighbourhood's funds"})
    name = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    purpose = ma.fields.String(required=True, validate=ma.validate.Length(max=4000))
    basis = ma.fields.String(required=True, validate=ma.validate.OneOf(["flat", "banded"]))
    amount = fields.money(required=True, metadata={"description": f"Per household, or band D's. {_MINOR}"})
    period = ma.fields.String(required=True, validate=ma.validate.OneOf(["monthly", "quarterly", "annual"]))
    starts_on = fields.day(required=True)
    ends_on = fields.day(load_default=None, allow_none=True)
    voluntary = ma.fields.Boolean(load_default=False)
    threshold = fields.count(
        maximum=MAX_HOUSEHOLDS,
        load_default=None,
        allow_none=True,
        metadata={"description": "Households needed to start"},
    )
    prorate = ma.fields.Boolean(load_default=True)


class BandAmountSchema(ma.Schema):
    """What one council-tax band pays each period."""

    band = ma.fields.String(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})


class LevySchema(ma.Schema):
    """A levy."""

    id = ma.fields.Integer(dump_only=True)
    neighbourhood = ma.fields.String(dump_only=True, metadata={"description": "Slug"})
    fund = ma.fields.String(dump_only=True, metadata={"description": "Slug"})
    name = ma.fields.String(dump_only=True)
    purpose = ma.fields.String(dump_only=True)
    basis = ma.fields.String(dump_only=True, metadata={"description": "flat or banded"})
    amount = ma.fields.Integer(
        dump_only=True, metadata={"description": f"Per household, or band D's. {_MINOR}"}
    )
    currency = ma.fields.String(dump_only=True)
    period = ma.fields.String(dump_only=True)
    starts_on = ma.fields.Date(dump_only=True)
    ends_on = ma.fields.Date(dump_only=True, allow_none=True)
    voluntary = ma.fields.Boolean(dump_only=True)
    threshold = ma.fields.Integer(dump_only=True, allow_none=True)
    prorate = ma.fields.Boolean(dump_only=True)
    status = ma.fields.String(dump_only=True, metadata={"description": "draft, open, active or ended"})
    households = ma.fields.Integer(dump_only=True, metadata={"description": "Households liable now"})
    bands = ma.fields.List(ma.fields.Nested(BandAmountSchema), dump_only=True)
    url = ma.fields.String(dump_only=True, metadata={"description": "The levy's page"})


class HouseholdSchema(ma.Schema):
    """A household in a levy (for the committee)."""

    id = ma.fields.Integer(dump_only=True)
    address = ma.fields.String(dump_only=True)
    band = ma.fields.String(dump_only=True)
    joined_on = ma.fields.Date(dump_only=True)
    left_on = ma.fields.Date(dump_only=True, allow_none=True)
    residents = ma.fields.Integer(dump_only=True, metadata={"description": "Residents who have joined"})
    card_saved = ma.fields.Boolean(dump_only=True)


class ChargeSchema(ma.Schema):
    """One household's charge for one period."""

    id = ma.fields.Integer(dump_only=True)
    levy = ma.fields.Integer(dump_only=True, attribute="levy_id")
    levy_name = ma.fields.Function(lambda c: c.levy.name, dump_only=True)
    period_start = ma.fields.Date(dump_only=True)
    period_end = ma.fields.Date(dump_only=True, metadata={"description": "Exclusive"})
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    waived_amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    amount_due = ma.fields.Integer(dump_only=True, metadata={"description": f"Amount less waived. {_MINOR}"})
    currency = ma.fields.String(dump_only=True)
    status = ma.fields.String(
        dump_only=True, metadata={"description": "due, retrying, arrears, paid or waived"}
    )
    due_at = ma.fields.AwareDateTime(dump_only=True)
    paid_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    paid_via = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": "card, cash or bank"}
    )
