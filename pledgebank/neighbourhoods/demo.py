"""Demo data for neighbourhoods: Elm Park, its members and their roles, and two funds beside the general."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.demo import PEOPLE
from pledgebank.neighbourhoods import funds, roles, services
from pledgebank.neighbourhoods.models import Neighbourhood

DEMO_SLUG = "elm-park"
# An ONS ward code's shape (E05 and eight digits) and a charity number's (7 digits), made up for the demo.
DEMO_AREA = ("E05099001", "Elm Park ward", "1190001")


def is_seeded(session: Session) -> bool:
    """Whether the demo neighbourhood is there already."""
    return session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == DEMO_SLUG)) is not None


def seed_neighbourhood(
    session: Session, ids: dict[str, int], *, at: datetime, currency: str
) -> Neighbourhood:
    """The chair creates Elm Park, everyone else joins and takes their roles, and the chair adds the funds."""
    chair_id = ids[PEOPLE[0].email]
    place = services.create_neighbourhood(
        session,
        actor_id=chair_id,
        name="Elm Park",
        postcode_district="SE15",
        currency=currency,
        now=at,
        description="The streets around Elm Park: mending the playground, planting trees, helping out.",
    )
    # What its published grants data says of it: the ward the grants benefit and its charity number.
    place.area_code, place.area_name, place.charity_number = DEMO_AREA
    for person in PEOPLE[1:]:
        services.join_neighbourhood(session, actor_id=ids[person.email], neighbourhood=place, now=at)
        for role in person.roles:
            roles.grant_role(
                session, actor_id=chair_id, neighbourhood=place, user_id=ids[person.email], role=role, now=at
            )
    funds.add_fund(
        session,
        actor_id=chair_id,
        neighbourhood=place,
        name="Playground fund",
        now=at,
        description="Repairs to the Elm Park playground fence and equipment.",
    )
    funds.add_fund(
        session,
        actor_id=chair_id,
        neighbourhood=place,
        name="Street trees",
        now=at,
        description="Money given for the street trees pledge.",
        fund_type="restricted",
        purpose="Planting and looking after young street trees along Victoria Road.",
    )
    return place
