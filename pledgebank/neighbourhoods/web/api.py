"""API: finding, reading, creating and joining neighbourhoods."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.neighbourhoods import funds, services
from pledgebank.neighbourhoods.web.schemas import (
    FundCreateSchema,
    FundSchema,
    MemberSchema,
    NeighbourhoodCreateSchema,
    NeighbourhoodDetailSchema,
    NeighbourhoodQuerySchema,
    NeighbourhoodSchema,
)
from pledgebank.policy import Action, can, roles_of
from pledgebank.web.session import db_session, now, transaction

blp = Blueprint(
    "neighbourhoods_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods",
    description="Neighbourhoods, their funds and members",
)


def _detail(slug: str, user_id: int | None) -> dict[str, Any]:
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    visible_members = can(session, user_id, neighbourhood.id, Action.VIEW_MEMBERS)
    roles = roles_of(session, user_id, neighbourhood.id)
    return {
        **{name: getattr(neighbourhood, name) for name in NeighbourhoodSchema().fields},
        "funds": funds.list_funds(session, neighbourhood_id=neighbourhood.id),
        "my_roles": sorted(r.value for r in roles) if roles else None,
        "members": services.members_of(session, actor_id=user_id, neighbourhood=neighbourhood)
        if visible_members
        else None,
    }


@blp.get("")
@blp.arguments(NeighbourhoodQuerySchema, location="query")
@blp.response(200, NeighbourhoodSchema(many=True))
def list_neighbourhoods(args: dict[str, Any]):
    """Find neighbourhoods by name or postcode district (public)."""
    return services.search_neighbourhoods(db_session(), args["q"], limit=args["limit"])


@blp.post("")
@blp.arguments(NeighbourhoodCreateSchema)
@blp.response(201, NeighbourhoodDetailSchema)
@blp.doc(security=[{"bearerAuth": []}])
def create_neighbourhood(data: dict[str, Any]):
    """Create a neighbourhood; the caller (verified) becomes its chair. Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        neighbourhood = services.create_neighbourhood(
            session,
            actor_id=user_id,
            name=data["name"],
            postcode_district=data["postcode_district"],
            description=data["description"],
            currency=current_app.config["CURRENCY"],
            now=now(),
        )
    return _detail(neighbourhood.slug, user_id)


@blp.get("/<slug>")
@blp.response(200, NeighbourhoodDetailSchema)
def get_neighbourhood(slug: str):
    """One neighbourhood; its members are listed only to its members."""
    return _detail(slug, api_user_id(required=False))


@blp.post("/<slug>/members")
@blp.response(201, MemberSchema)
@blp.doc(security=[{"bearerAuth": []}])
def join_neighbourhood(slug: str):
    """Join a neighbourhood as a resident. Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        membership = services.join_neighbourhood(
            session, actor_id=user_id, neighbourhood=neighbourhood, now=now()
        )
    return membership


@blp.post("/<slug>/funds")
@blp.arguments(FundCreateSchema)
@blp.response(201, FundSchema)
@blp.doc(security=[{"bearerAuth": []}])
def add_fund(data: dict[str, Any], slug: str):
    """Add a designated or restricted fund (committee or chair) or an endowment (chair). Read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        fund = funds.add_fund(session, actor_id=user_id, neighbourhood=neighbourhood, now=now(), **data)
    return fund
