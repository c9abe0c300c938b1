"""The demo's pulse: three quarterly rounds with every headline measure shown and a trend, the latest open
so that a resident who has not answered yet can."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.pulse import results
from pledgebank.pulse.demo import seed_pulse
from pledgebank.pulse.models import PulseResponse, PulseRound
from tests.factories.grants import today


def test_the_demo_has_three_rounds_with_a_trend_and_the_latest_open(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_pulse(app, ids)
    with unit_of_work(sessions) as session:
        found = list(session.scalars(select(PulseRound).order_by(PulseRound.opens)))
        assert [r.is_open(today(app)) for r in found] == [False, False, True]
        rows = results.trend(session, found)
        assert all(share is not None for row in rows for share in row.shares.values())
        influence = [row.shares["influence"].percent for row in rows]  # type: ignore[union-attr]
        assert influence[0] < influence[1]
        answered = set(
            session.scalars(select(PulseResponse.user_id).where(PulseResponse.round_id == found[-1].id))
        )
        assert ids["sofia@example.org"] not in answered and ids["ben@example.org"] in answered
        texts = results.free_text(session, found[-1])
        assert texts and texts[0][1] is not None and len(texts[0][1]) == 5
