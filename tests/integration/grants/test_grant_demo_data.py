"""The demo neighbourhood's grants: an open round with applications at every stage, whose committee
walk-through (Tom scores, Priya declares and decides) works, on books that verify."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.grants.demo import seed_grants
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.grants.queries import awarded_applications
from tests.factories.grants import decide, declare, score, status
from tests.factories.pledges import assert_books_ok


def test_the_demo_round_has_applications_at_every_stage_and_the_walk_through_works(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_grants(app, ids)
    with unit_of_work(sessions) as session:
        [grant_round] = session.scalars(select(GrantRound))
        assert grant_round.is_open(clock.now())
        stages = {a.title: a.status for a in session.scalars(select(GrantApplication))}
        awarded = [
            (a.title, a.awarded_amount, a.recipient_name, a.round.fund.slug, a.award_date.isoformat())
            for a in awarded_applications(session)
        ]
    assert awarded == [
        ("Youth football kit", 25_000, "Elm Park Juniors", "general", "2026-03-02"),
        ("Benches for the community garden", 20_000, "Elm Park Community Garden", "general", "2026-03-02"),
    ]
    assert stages == {
        "Seed library": "draft",
        "Street party on Oak Road": "submitted",
        "Bulbs for the verges": "under_review",
        "Youth football kit": "paid",
        "Benches for the community garden": "reported",
    }
    assert_books_ok(app)

    with unit_of_work(sessions) as session:
        bulbs = session.scalar(
            select(GrantApplication.id).where(GrantApplication.title == "Bulbs for the verges")
        )
    score(app, bulbs, ids["tom@example.org"])
    declare(app, bulbs, ids["priya@example.org"])
    decide(app, bulbs, ids["priya@example.org"], "award")
    assert status(app, bulbs) == "awarded"
    assert_books_ok(app)
