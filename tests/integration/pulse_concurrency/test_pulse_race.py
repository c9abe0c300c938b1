"""A resident's answers sent several times at once on PostgreSQL (a double tap on a phone, two tabs): every
request succeeds, one response is stored, with one set of answers; and many residents at once each get theirs.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.pulse.models import PulseAnswer, PulseResponse
from tests.factories.grants import world
from tests.factories.pledges import many_residents
from tests.factories.pulse import open_round, respond

pytestmark = pytest.mark.postgres

TIMES = 6


def counts(sessions, round_id: int) -> tuple[int, int]:
    with unit_of_work(sessions) as session:
        responses = session.scalar(
            select(func.count()).select_from(PulseResponse).where(PulseResponse.round_id == round_id)
        )
        answers = session.scalar(select(func.count()).select_from(PulseAnswer))
        return responses or 0, answers or 0


def test_one_resident_answering_many_times_at_once_has_one_response(app, sessions, together):
    w = world(sessions)
    round_id = open_round(app, w)
    outcomes = together(TIMES, lambda n: respond(app, round_id, w.residents[0], area=1 + n % 5, trust=0))
    assert [o.error for o in outcomes if o.error is not None] == []
    assert counts(sessions, round_id) == (1, 2)


def test_many_residents_at_once_each_have_their_own_response(app, sessions, together):
    w = world(sessions)
    round_id = open_round(app, w)
    people = many_residents(sessions, w.slug, TIMES)
    outcomes = together(TIMES * 2, lambda n: respond(app, round_id, people[n % TIMES], area=4))
    assert [o.error for o in outcomes if o.error is not None] == []
    assert counts(sessions, round_id) == (TIMES, TIMES)
