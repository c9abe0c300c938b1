"""API: listing, reading and creating pledges; pledging (card or cash) and withdrawing."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import current_app, url_for
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.errors import NotFound
from pledgebank.jobs import payments_context
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.payments.gateway import GatewayUnavailable
from pledgebank.pledges import cards, services, signups, standing
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.services import PledgeTerms
from pledgebank.pledges.states import ACTIVE, PledgeStatus
from pledgebank.pledges.web.schemas import (
    PledgeCreateSchema,
    PledgeDetailSchema,
    PledgeSchema,
    SignupCreatedSchema,
    SignupCreateSchema,
    SignupSchema,
)
from pledgebank.pledges.web.share_views import pledge_sentence, short_url
from pledgebank.web.errors import json_error
from pledgebank.web.session import db_session, now, this_app, transaction

blp = Blueprint("pledges_api", __name__, url_prefix="/api/v1", description="Threshold pledges")

UNAVAILABLE = (
    "Card payments cannot be reached just now; the pledge is kept, so try saving the card again soon."
)


def _count(count: standing.Count) -> dict[str, int]:
    return {"people": count.people, "amount": count.amount}


def _progress(session, pledge: Pledge) -> dict[str, Any]:
    """The figures the pledge's page shows: what counts, each reason a pledge needs attention, and an ended
    pledge's figures as they were when it ended."""
    progress = services.progress(session, pledge)
    found = standing.standing(session, pledge)
    pledged = standing.Count(progress.pledgers, progress.amount) if pledge.of_time else found.pledged
    reasons = found.reasons
    return {
        "pledgers": pledged.people,
        "amount": pledged.amount,
        "percent": standing.percent_of(pledge, pledged),
        "figures_known": found.known,
        "waiting": progress.waiting if pledge.of_time else reasons.attention.people,
        "paid": _count(reasons.paid),
        "reserved": _count(reasons.reserved),
        "attention": {
            "bank_check": _count(reasons.bank_check),
            "declined": _count(reasons.declined),
            "card_not_saved": _count(reasons.no_card),
            "cash_not_received": _count(reasons.no_cash),
        },
        "released": _count(reasons.released),
        "target_pledgers": progress.target_pledgers,
        "target_amount": progress.target_amount,
        "met": progress.met,
    }


def _summary(session, pledge: Pledge) -> dict[str, Any]:
    fund = session.get(Fund, pledge.fund_id) if pledge.fund_id is not None else None
    return {
        **{name: getattr(pledge, name) for name in PledgeSchema().fields if hasattr(Pledge, name)},
        "neighbourhood": session.get(Neighbourhood, pledge.neighbourhood_id).slug,
        "fund": fund and fund.slug,
        "fund_type": fund and fund.fund_type,
        "fund_purpose": fund and fund.purpose,
        "progress": _progress(session, pledge),
        "url": url_for("pledges.show", pledge_id=pledge.id, _external=True),
        "sentence": pledge_sentence(pledge),
        "short_url": short_url(pledge),
    }


def _detail(pledge_id: int, user_id: int | None) -> dict[str, Any]:
    session = db_session()
    pledge = services.get_pledge(session, pledge_id)
    if not services.visible_to(session, pledge, user_id):
        raise NotFound("There is no such pledge.")
    mine = signups.signup_of(session, pledge_id=pledge.id, user_id=user_id)
    told = (
        pledge.of_time
        and pledge.status == PledgeStatus.SUCCEEDED
        and mine is not None
        and mine.status in ACTIVE
    )
    return {
        **_summary(session, pledge),
        "offers": list(pledge.offers),
        "updates": list(pledge.updates),
        "my_signup": mine,
        "next_steps": pledge.next_steps if told or services.may_manage(session, pledge, user_id) else None,
    }


@blp.get("/neighbourhoods/<slug>/pledges")
@blp.response(200, PledgeSchema(many=True))
def list_pledges(slug: str):
    """A neighbourhood's pledges, open ones first (drafts only for their creator and the committee)."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    user_id = api_user_id(required=False)
    pledges = services.list_pledges(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    return [_summary(session, pledge) for pledge in pledges]


@blp.post("/neighbourhoods/<slug>/pledges")
@blp.arguments(PledgeCreateSchema)
@blp.response(201, PledgeDetailSchema)
@blp.doc(security=[{"bearerAuth": []}])
def create_pledge(data: dict[str, Any], slug: str):
    """Start a pledge (members). Needs a read-write token."""
    user_id = api_user_id(write=True)
    data["deadline"] = data["deadline"].astimezone(UTC)
    data["amount"], data["amount_kind"] = data["amount"] or 0, data["amount_kind"] or "fixed"
    data["allow_cash"] = True if data["allow_cash"] is None else data["allow_cash"]
    with transaction() as session:
        pledge = services.create_pledge(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhoods.get_neighbourhood(session, slug),
            terms=PledgeTerms(fund_slug=data.pop("fund"), **data),
            now=now(),
        )
    return _detail(pledge.id, user_id)


@blp.get("/pledges/<int:pledge_id>")
@blp.response(200, PledgeDetailSchema)
def get_pledge(pledge_id: int):
    """One pledge with its progress, offers and updates, and the caller's own pledge when signed in."""
    return _detail(pledge_id, api_user_id(required=False))


@blp.post("/pledges/<int:pledge_id>/signups")
@blp.arguments(SignupCreateSchema)
@blp.response(201, SignupCreatedSchema)
@blp.alt_response(503, description="Card payments cannot be reached; the pledge is kept")
@blp.doc(security=[{"bearerAuth": []}])
def sign(data: dict[str, Any], pledge_id: int):
    """Pledge. For a card, confirm the returned SetupIntent with Stripe.js. Needs a read-write token."""
    user_id = api_user_id(write=True)
    gateway = current_app.extensions["pledgebank.gateway"]
    with transaction() as session:
        signup = signups.sign(
            session,
            actor_id=user_id,
            pledge=services.get_pledge(session, pledge_id),
            amount=data["amount"],
            method=data["method"],
            card_payments=gateway.available,
            now=now(),
        )
    card_setup = None
    if signup.method == "card":
        try:
            setup = cards.start_card(
                payments_context(this_app()),
                signup_id=signup.id,
                user_id=user_id,
                now=now(),
            )
        except GatewayUnavailable:
            return json_error(503, "payments_unavailable", UNAVAILABLE)
        card_setup = {
            "setup_intent_id": setup.setup_intent_id,
            "client_secret": setup.client_secret,
            "publishable_key": current_app.config["STRIPE_PUBLISHABLE_KEY"],
        }
    return {"signup": signup, "card_setup": card_setup}


@blp.delete("/pledges/<int:pledge_id>/signups/mine")
@blp.response(200, SignupSchema)
@blp.doc(security=[{"bearerAuth": []}])
def withdraw(pledge_id: int):
    """Withdraw your pledge before the pledge activates. Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        signup = signups.withdraw(
            session,
            actor_id=user_id,
            pledge=services.get_pledge(session, pledge_id),
            now=now(),
            zone=current_app.config["TIMEZONE"],
        )
    return signup
