"""Demo data for levies: a street-lighting levy two months old, whose households are at every stage.

The levy is approved and joined two months and a day ago, and the levies' run-due work is replayed day by
day since then (with the residents' and the committee's actions on the days they happened), so the
treasurer's page has periods with charges paid by card and in cash, waived, retrying and in arrears.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select

from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.levies import cards, charges, hardship, households, jobs, services
from pledgebank.levies.bands import add_months
from pledgebank.levies.models import LevyCharge
from pledgebank.neighbourhoods.models import Membership, Neighbourhood
from pledgebank.payments.gateway import TestCard

# (email, address, band, card): Ben pays by card, Sofia's card saves then declines, Li and Gareth pay cash.
HOUSEHOLDS = (
    ("ben@example.org", "4 Elm Park Road", "C", TestCard.SUCCEEDS),
    ("sofia@example.org", "11 Elm Park Road", "D", TestCard.DECLINES_AT_CHARGE),
    ("li@example.org", "Flat 2, 17 Elm Park Road", "B", None),
    ("gareth@example.org", "23 Elm Park Road", "E", None),
)


def seed_levies(app: Flask, ids: dict[str, int]) -> None:
    """Define, approve and join the demo levy in the past, then replay its days up to now."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    ctx = payments_context(app)
    now = app.extensions["pledgebank.clock"].now()
    starts_on = add_months(local_date(now, zone), -2) - timedelta(days=1)
    start = datetime.combine(starts_on, time(9, 0), tzinfo=ZoneInfo(zone))
    chair, treasurer, member = ids["priya@example.org"], ids["tom@example.org"], ids["aisha@example.org"]
    with unit_of_work(sessions) as session:
        levy_id = services.create_levy(
            session,
            actor_id=member,
            neighbourhood=_place(session, chair),
            terms=services.LevyTerms(
                fund_slug="general",
                name="Street lighting",
                purpose="Keeping the six lamps on along the footpath between Elm Park Road and the station: "
                "electricity, bulbs and the yearly safety check.",
                basis="banded",
                amount=600,
                period="monthly",
                starts_on=starts_on,
            ),
            retry_days=app.config["LEVY_RETRY_DAYS"],
            now=start,
            zone=zone,
        ).id
    for approver in (member, chair):
        with unit_of_work(sessions) as session:
            services.approve_levy(session, actor_id=approver, levy_id=levy_id, now=start, zone=zone)
    for email, address, band, card in HOUSEHOLDS:
        with unit_of_work(sessions) as session:
            households.join_levy(
                session,
                actor_id=ids[email],
                levy_id=levy_id,
                address=address,
                band=band,
                now=start,
                zone=zone,
            )
        if card is not None and ctx.gateway.available:
            cards.use_test_card(
                ctx,
                levy_id=levy_id,
                user_id=ids[email],
                card=card,
                return_url=app.config["BASE_URL"],
                now=start,
            )
    day = 0
    while start + timedelta(days=day) <= now:
        moment = start + timedelta(days=day, minutes=5)
        jobs.run_due(ctx, now=min(moment, now))
        _on_day(app, day, moment, ids, treasurer=treasurer, chair=chair)
        day += 1


def _on_day(
    app: Flask, day: int, moment: datetime, ids: dict[str, int], *, treasurer: int, chair: int
) -> None:
    """What the residents and the committee did on a day of the replay."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    if day == 2:  # Li asks for the first month to be waived; the chair agrees the next day
        with unit_of_work(sessions) as session:
            hardship.request_hardship(
                session,
                actor_id=ids["li@example.org"],
                charge_id=_charge(session, ids["li@example.org"], 0),
                reason="I have been off work since January and am waiting for my sick pay to start.",
                amount=None,
                now=moment,
            )
    elif day == 3:
        with unit_of_work(sessions) as session:
            request = hardship.pending_requests(session, neighbourhood_id=_place(session, chair).id)
            hardship.decide_hardship(
                session,
                actor_id=chair,
                request_id=request[0].id,
                approve=True,
                amount=None,
                note="Agreed for this month. Get in touch again if you need to.",
                now=moment,
                zone=zone,
            )
    elif day in (5, 35):  # Gareth hands the treasurer cash for the first two months
        with unit_of_work(sessions) as session:
            charges.record_payment(
                session,
                actor_id=treasurer,
                charge_id=_charge(session, ids["gareth@example.org"], 0 if day == 5 else 1),
                into="cash",
                now=moment,
                zone=zone,
            )


def _place(session, member_id: int) -> Neighbourhood:
    """The demo neighbourhood (the only one its demo people belong to)."""
    return session.scalar(
        select(Neighbourhood)
        .join(Membership, Membership.neighbourhood_id == Neighbourhood.id)
        .where(Membership.user_id == member_id)
    )


def _charge(session, user_id: int, index: int) -> int:
    """The id of a resident's household's index-th charge (oldest first)."""
    household = households.household_of(
        session, neighbourhood_id=_place(session, user_id).id, user_id=user_id
    )
    assert household is not None  # the demo joined every resident to the levy
    found = session.scalars(
        select(LevyCharge.id).where(LevyCharge.household_id == household.id).order_by(LevyCharge.period_start)
    )
    return list(found)[index]
