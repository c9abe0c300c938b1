"""API schemas for pledges, their progress and signups. Money is integer minor units with its currency."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields

_MINOR = "In minor units of `currency` (pence for GBP)"


class PledgeCreateSchema(ma.Schema):
    """A new pledge: of money, or of time (then no fund, amount, target amount or cash: they are refused)."""

    kind = ma.fields.String(
        load_default="money",
        validate=ma.validate.OneOf(["money", "time"]),
        metadata={"description": "money, or time (no payment at all, nothing in the ledger)"},
    )
    next_steps = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=2000),
        metadata={"description": "A pledge of time: what happens next, sent to every signer on success"},
    )
    fund = fields.slug(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Leave out (or null) for a new restricted fund that holds the money for this "
            "pledge's purpose. The committee or the chair may give the slug of an existing fund instead."
        },
    )
    title = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    description = ma.fields.String(
        required=True, validate=ma.validate.Length(max=4000), metadata={"description": "What will happen"}
    )
    amount_kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["fixed", "minimum"]))
    amount = fields.money(
        load_default=None, metadata={"description": f"Per person, fixed or minimum (money only). {_MINOR}"}
    )
    target_pledgers = fields.count(load_default=None, allow_none=True)
    target_amount = fields.money(load_default=None, allow_none=True)
    deadline = fields.moment(required=True)
    cap = fields.count(
        load_default=None, allow_none=True, metadata={"description": "Most people who may pledge"}
    )
    allow_cash = ma.fields.Boolean(load_default=None)

    @ma.validates_schema
    def fits_the_kind(self, data: dict, **_kwargs) -> None:
        """A pledge of money needs its amount; a pledge of time takes no money fields at all."""
        errors: dict[str, list[str]] = {}
        if data.get("kind", "money") == "money":
            for name in ("amount_kind", "amount"):
                if data.get(name) is None:
                    errors[name] = ["Missing data for required field."]
        else:
            for name in ("fund", "amount_kind", "amount", "target_amount", "allow_cash"):
                if data.get(name) is not None:
                    errors[name] = ["A pledge of time asks for no money: leave this out."]
        if errors:
            raise ma.ValidationError(errors)


class CountSchema(ma.Schema):
    """Some pledges: how many people, and their money."""

    people = ma.fields.Integer(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})


class AttentionSchema(ma.Schema):
    """Pledges waiting on their pledger or the treasurer, each reason counted apart."""

    bank_check = ma.fields.Nested(
        CountSchema, dump_only=True, metadata={"description": "the bank asks to confirm"}
    )
    declined = ma.fields.Nested(
        CountSchema, dump_only=True, metadata={"description": "the card was declined"}
    )
    card_not_saved = ma.fields.Nested(CountSchema, dump_only=True)
    cash_not_received = ma.fields.Nested(CountSchema, dump_only=True)


class ProgressSchema(ma.Schema):
    """People and money that count (for an ended pledge: as they were when it ended), and the targets."""

    pledgers = ma.fields.Integer(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    percent = ma.fields.Integer(dump_only=True, metadata={"description": "of the nearer-to-miss target"})
    figures_known = ma.fields.Boolean(
        dump_only=True, metadata={"description": "False for a pledge that ended before its figures were kept"}
    )
    waiting = ma.fields.Integer(
        dump_only=True,
        metadata={"description": "Pledges that need attention before they count (see attention)"},
    )
    paid = ma.fields.Nested(CountSchema, dump_only=True)
    reserved = ma.fields.Nested(CountSchema, dump_only=True, metadata={"description": "held on a card"})
    attention = ma.fields.Nested(AttentionSchema, dump_only=True)
    released = ma.fields.Nested(CountSchema, dump_only=True, metadata={"description": "nothing taken"})
    target_pledgers = ma.fields.Integer(dump_only=True, allow_none=True)
    target_amount = ma.fields.Integer(dump_only=True, allow_none=True, metadata={"description": _MINOR})
    met = ma.fields.Boolean(dump_only=True)


class SignupSchema(ma.Schema):
    """One person's pledge."""

    id = ma.fields.Integer(dump_only=True)
    status = ma.fields.String(dump_only=True)
    method = ma.fields.String(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    currency = ma.fields.Function(lambda s: s.pledge.currency, dump_only=True)
    card_brand = ma.fields.String(dump_only=True, allow_none=True)
    card_last4 = ma.fields.String(dump_only=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)


class OfferSchema(ma.Schema):
    """A sponsor's match offer: ratio_sponsor for every ratio_pledged pledged, up to cap, if it succeeds."""

    sponsor_name = ma.fields.String(dump_only=True)
    ratio_sponsor = ma.fields.Integer(dump_only=True)
    ratio_pledged = ma.fields.Integer(dump_only=True)
    cap = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    status = ma.fields.String(dump_only=True, metadata={"description": "offered, owed, received or void"})
    owed_amount = ma.fields.Integer(dump_only=True, allow_none=True, metadata={"description": _MINOR})


class UpdateSchema(ma.Schema):
    """News from the creator or committee."""

    body = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class PledgeSchema(ma.Schema):
    """A pledge, with its progress."""

    id = ma.fields.Integer(dump_only=True)
    neighbourhood = ma.fields.String(dump_only=True, metadata={"description": "Slug"})
    fund = ma.fields.String(
        dump_only=True, allow_none=True, metadata={"description": "Slug (null for a pledge of time)"}
    )
    fund_type = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "unrestricted, designated or restricted (held for its purpose)"},
    )
    fund_purpose = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "What a restricted fund's money may be spent on"},
    )
    kind = ma.fields.String(dump_only=True, metadata={"description": "money or time"})
    title = ma.fields.String(dump_only=True)
    description = ma.fields.String(dump_only=True)
    amount_kind = ma.fields.String(dump_only=True)
    amount = ma.fields.Integer(dump_only=True, metadata={"description": _MINOR})
    currency = ma.fields.String(dump_only=True)
    target_pledgers = ma.fields.Integer(dump_only=True, allow_none=True)
    target_amount = ma.fields.Integer(dump_only=True, allow_none=True, metadata={"description": _MINOR})
    cap = ma.fields.Integer(dump_only=True, allow_none=True)
    deadline = ma.fields.AwareDateTime(dump_only=True)
    allow_cash = ma.fields.Boolean(dump_only=True)
    status = ma.fields.String(
        dump_only=True, metadata={"description": "draft, open, collecting, succeeded, failed or cancelled"}
    )
    collection_ends_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    close_reason = ma.fields.String(dump_only=True)
    progress = ma.fields.Nested(ProgressSchema, dump_only=True)
    url = ma.fields.String(dump_only=True, metadata={"description": "The pledge's page"})
    sentence = ma.fields.String(
        dump_only=True,
        metadata={"description": "The pledge in one sentence, its creator named, as its page reads"},
    )
    short_url = ma.fields.String(dump_only=True, metadata={"description": "The short link to share"})


class PledgeDetailSchema(PledgeSchema):
    """A pledge with its offers, updates and the caller's own pledge (when signed in)."""

    offers = ma.fields.List(ma.fields.Nested(OfferSchema), dump_only=True)
    updates = ma.fields.List(
        ma.fields.Nested(UpdateSchema), dump_only=True, metadata={"description": "Newest first"}
    )
    my_signup = ma.fields.Nested(SignupSchema, dump_only=True, allow_none=True)
    next_steps = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "A pledge of time: what happens next, for its signers once it succeeds"},
    )


class SignupCreateSchema(ma.Schema):
    """Pledge: by card or cash; an amount only when the pledge sets a minimum. A pledge of time: "time"."""

    method = ma.fields.String(required=True, validate=ma.validate.OneOf(["card", "cash", "time"]))
    amount = fields.money(
        load_default=None, allow_none=True, metadata={"description": f"For minimum pledges. {_MINOR}"}
    )


class CardSetupSchema(ma.Schema):
    """What Stripe.js needs to save the card: confirm the SetupIntent with its client secret."""

    setup_intent_id = ma.fields.String(dump_only=True)
    client_secret = ma.fields.String(dump_only=True)
    publishable_key = ma.fields.String(dump_only=True)


class SignupCreatedSchema(ma.Schema):
    """The new signup and, for a card, the SetupIntent to confirm with Stripe.js."""

    signup = ma.fields.Nested(SignupSchema, dump_only=True)
    card_setup = ma.fields.Nested(CardSetupSchema, dump_only=True, allow_none=True)
