"""API schemas for grants: rounds, applications, decisions, awards and fund balances.

Money is integer minor units with its currency. Individual applicants are never named in public answers.
"""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields

_MINOR = "In minor units of `currency` (pence for GBP)"


class CriterionSchema(ma.Schema):
    """A scoring criterion: scored 0 to 5, counted with its weight."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=2, max=120))
    weight = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 10))


class RoundSchema(ma.Schema):
    """A grant round."""

    id = ma.fields.Integer(dump_only=True)
    neighbourhood = ma.fields.String(dump_only=True, metadata={"description": "Slug of the neighbourhood"})
    fund = ma.fields.String(dump_only=True, metadata={"description": "Slug of the fund awards come from"})
    title = ma.fields.String(dump_only=True)
    description = ma.fields.String(dump_only=True)
    eligibility = ma.fields.String(dump_only=True)
    budget = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    max_award = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    remaining = ma.fields.Integer(
        dump_only=True, metadata={"description": f"Budget not yet awarded. {_MINOR}"}
    )
    currency = ma.fields.String(dump_only=True)
    opens_at = ma.fields.AwareDateTime(dump_only=True)
    closes_at = ma.fields.AwareDateTime(dump_only=True)
    quorum_rule = ma.fields.String(dump_only=True, metadata={"description": "majority, all or fixed"})
    quorum_minimum = ma.fields.Integer(dump_only=True)
    criteria = ma.fields.List(ma.fields.Nested(CriterionSchema), dump_only=True)
    url = ma.fields.Url(dump_only=True)


class RoundCreateSchema(ma.Schema):
    """A new grant round (committee)."""

    fund = fields.slug(required=True, metadata={"description": "Slug of one of the neighbourhood's funds"})
    title = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    description = ma.fields.String(required=True, validate=ma.validate.Length(max=4000))
    eligibility = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))
    budget = fields.money(required=True)
    max_award = fields.money(required=True)
    opens_at = fields.moment(required=True)
    closes_at = fields.moment(required=True)
    criteria = fields.lines(CriterionSchema, required=True)
    quorum_rule = ma.fields.String(
        load_default="majority", validate=ma.validate.OneOf(["majority", "all", "fixed"])
    )
    quorum_minimum = fields.count(minimum=2, maximum=1000, load_default=2)
    project_months = fields.count(
        minimum=1, maximum=60, load_default=12, metadata={"description": "How long funded projects run"}
    )


class BudgetLineSchema(ma.Schema):
    """One line of an application's budget."""

    description = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    amount = fields.money(required=True)


class ApplicationCreateSchema(ma.Schema):
    """A new draft application."""

    title = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    summary = ma.fields.String(required=True, validate=ma.validate.Length(max=4000))
    amount_requested = fields.money(required=True)
    budget_lines = fields.lines(
        BudgetLineSchema, required=True, metadata={"description": "Must add up to the request"}
    )
    group_name = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=120),
        metadata={"description": "For an application on behalf of a group"},
    )
    charity_number = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=20),
        metadata={"description": "A group's registered charity number"},
    )
    company_number = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=20),
        metadata={"description": "A group's Companies House number"},
    )
    postcode = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=10),
        metadata={"description": "A group's postcode"},
    )


class DecisionSchema(ma.Schema):
    """A decision on an application, with the ledger transaction it posted (if any)."""

    id = ma.fields.Integer(dump_only=True)
    application_id = ma.fields.Integer(dump_only=True)
    outcome = ma.fields.String(
        dump_only=True, metadata={"description": "award, part_award, defer, reject or reduce"}
    )
    amount = ma.fields.Integer(dump_only=True, allow_none=True, metadata={"description": _MINOR})
    reason = ma.fields.String(dump_only=True)
    defer_until = ma.fields.Date(dump_only=True, allow_none=True)
    defer_to_next_round = ma.fields.Boolean(dump_only=True)
    decided_at = ma.fields.AwareDateTime(dump_only=True)
    quorum_needed = ma.fields.Integer(dump_only=True)
    reviews_counted = ma.fields.Integer(dump_only=True)
    ledger_sequence = ma.fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "Sequence number of its ledger transaction"}
    )


class ApplicationSchema(ma.Schema):
    """An application as its applicant and the committee see it."""

    id = ma.fields.Integer(dump_only=True)
    round_id = ma.fields.Integer(dump_only=True)
    title = ma.fields.String(dump_only=True)
    summary = ma.fields.String(dump_only=True)
    amount_requested = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    currency = ma.fields.String(dump_only=True)
    group_name = ma.fields.String(dump_only=True, allow_none=True)
    status = ma.fields.String(dump_only=True)
    awarded_amount = ma.fields.Integer(dump_only=True, allow_none=True, metadata={"description": _MINOR})
    awarded_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    submitted_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    budget_lines = ma.fields.List(ma.fields.Nested(BudgetLineSchema), dump_only=True)
    decisions = ma.fields.List(ma.fields.Nested(DecisionSchema), dump_only=True)
    url = ma.fields.Url(dump_only=True)


class AwardSchema(ma.Schema):
    """An awarded grant as anyone may see it."""

    application_id = ma.fields.Integer(dump_only=True)
    title = ma.fields.String(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    currency = ma.fields.String(dump_only=True)
    awarded_on = ma.fields.Date(dump_only=True)
    fund = ma.fields.String(dump_only=True, metadata={"description": "The fund's name"})
    round_title = ma.fields.String(dump_only=True)
    recipient = ma.fields.String(
        dump_only=True, metadata={"description": 'A group\'s name, or "Individual recipient"'}
    )


class FundMoneySchema(ma.Schema):
    """A fund's money: received = available + held + committed + paid out + fees."""

    slug = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    currency = ma.fields.String(dump_only=True)
    received = ma.fields.Integer(dump_only=True, metadata={"description": f"Income received. {_MINOR}"})
    committed = ma.fields.Integer(
        dump_only=True, metadata={"description": f"Awarded, not yet paid. {_MINOR}"}
    )
    paid_out = ma.fields.Integer(
        dump_only=True, metadata={"description": f"Grants paid, less unspent money returned. {_MINOR}"}
    )
    fees = ma.fields.Integer(dump_only=True, metadata={"description": f"Card processing fees. {_MINOR}"})
    available = ma.fields.Integer(
        dump_only=True,
        metadata={"description": f"Received less awarded and fees: free for new awards. {_MINOR}"},
    )
    fund_type = ma.fields.String(
        dump_only=True, metadata={"description": "unrestricted, designated, restricted or endowment"}
    )
    held = ma.fields.Integer(
        dump_only=True,
        metadata={
            "description": "Kept for the fund's purpose, which grants may not spend (a restricted fund not "
            f"given for grants, or an endowment). {_MINOR}"
        },
    )
