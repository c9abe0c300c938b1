"""API: a neighbourhood's levies (and defining one), a levy's households (committee), and the caller's own
household's charges."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.errors import NotFound
from pledgebank.levies import households, queries, services
from pledgebank.levies.models import Levy
from pledgebank.levies.web.schemas import ChargeSchema, HouseholdSchema, LevyCreateSchema, LevySchema
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.session import db_session, now, transaction

blp = Blueprint("levies_api", __name__, url_prefix="/api/v1", description="Local levies")


def _levy(session, levy: Levy) -> dict[str, Any]:
    return {
        **{name: getattr(levy, name) for name in LevySchema().fields if hasattr(Levy, name)},
        "neighbourhood": session.get(Neighbourhood, levy.neighbourhood_id).slug,
        "fund": session.get(Fund, levy.fund_id).slug,
        "households": services.household_count(session, levy.id),
        "bands": [{"band": band, "amount": amount} for band, amount in services.band_table(levy)],
        "url": url_for("levies.show", levy_id=levy.id, _external=True),
    }


@blp.get("/neighbourhoods/<slug>/levies")
@blp.response(200, LevySchema(many=True))
def list_levies(slug: str):
    """A neighbourhood's levies (drafts only for the committee)."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    user_id = api_user_id(required=False)
    return [
        _levy(session, levy)
        for levy in services.list_levies(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    ]


@blp.post("/neighbourhoods/<slug>/levies")
@blp.arguments(LevyCreateSchema)
@blp.response(201, LevySchema)
@blp.doc(security=[{"bearerAuth": []}])
def create_levy(data: dict[str, Any], slug: str):
    """Define a levy (committee). Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        levy = services.create_levy(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhoods.get_neighbourhood(session, slug),
            terms=services.LevyTerms(fund_slug=data.pop("fund"), **data),
            retry_days=current_app.config["LEVY_RETRY_DAYS"],
            now=now(),
            zone=current_app.config["TIMEZONE"],
        )
    return _levy(db_session(), levy)


@blp.get("/levies/<int:levy_id>")
@blp.response(200, LevySchema)
def get_levy(levy_id: int):
    """One levy."""
    session = db_session()
    levy = services.get_levy(session, levy_id)
    if not services.visible_to(session, levy, api_user_id(required=False)):
        raise NotFound("There is no such levy.")
    return _levy(session, levy)


@blp.get("/levies/<int:levy_id>/households")
@blp.response(200, HouseholdSchema(many=True))
@blp.doc(security=[{"bearerAuth": []}])
def list_households(levy_id: int):
    """The households in a levy (committee)."""
    user_id = api_user_id()
    session = db_session()
    levy = services.get_levy(session, levy_id)
    require(session, user_id, levy.neighbourhood_id, Action.MANAGE_LEVIES)
    return [
        {
            "id": line.household.id,
            "address": line.household.address,
            "band": line.household.band,
            "joined_on": line.liability.joined_on,
            "left_on": line.liability.left_on,
            "residents": line.residents,
            "card_saved": line.household.payment_method_id is not None,
        }
        for line in queries.households_in(session, levy.id)
    ]


@blp.get("/neighbourhoods/<slug>/levy-charges/mine")
@blp.response(200, ChargeSchema(many=True))
@blp.doc(security=[{"bearerAuth": []}])
def my_charges(slug: str):
    """Your household's charges in every levy of the neighbourhood, newest period first."""
    user_id = api_user_id()
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, user_id, neighbourhood.id, Action.JOIN_LEVY)
    home = households.household_of(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    return [] if home is None else queries.charges_of(session, home.id)
