"""Demo data for texting: Elm Park's text number, and the keyword FENCE on "Mend the playground fence", so
a visitor can pledge by text from the fake provider's form at /dev/outbox."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from pledgebank.accounts.demo import PEOPLE
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.models import Pledge
from pledgebank.sms import settings

DEMO_NUMBER = "+447700900100"
DEMO_KEYWORD = "FENCE"


def seed_texting(app: Flask, ids: dict[str, int]) -> None:
    """Give Elm Park its text number and the fence pledge its keyword."""
    now = app.extensions["pledgebank.clock"].now()
    chair = ids[PEOPLE[0].email]
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        settings.set_number(session, actor_id=chair, neighbourhood_id=place.id, number=DEMO_NUMBER, now=now)
        fence = session.scalars(
            select(Pledge).where(
                Pledge.neighbourhood_id == place.id, Pledge.title == "Mend the playground fence"
            )
        ).one()
        settings.set_keyword(session, actor_id=chair, pledge=fence, keyword=DEMO_KEYWORD, now=now)
