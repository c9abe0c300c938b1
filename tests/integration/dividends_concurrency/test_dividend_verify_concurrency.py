"""Two verify clicks at once (and eight), on PostgreSQL with real threads each on its own connection: the
dividend is earned once, one receivable is raised, the others are refused, and the books verify; a lapse run
racing a verification leaves one of the two outcomes, never both."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from pledgebank.dividends import jobs
from pledgebank.state_tables import InvalidTransition
from tests.factories.dividends import agreed, agreement, evidence, fire_draft, verify
from tests.factories.grants import clock_now, today, transactions, world
from tests.factories.pledges import assert_books_ok

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("clicks", [2, 8])
def test_verify_clicks_at_once_earn_once(app, sessions, together, clicks):
    w = world(sessions)
    agreement_id = agreed(app, w)
    evidence(app, w, agreement_id, 28)
    outcomes = together(clicks, lambda _: verify(app, agreement_id))
    results = Counter("ok" if o.error is None else type(o.error).__name__ for o in outcomes)
    assert results == {"ok": 1, InvalidTransition.__name__: clicks - 1}, [o.error for o in outcomes]
    assert [t.kind for t in transactions(app)] == ["dividend_earned"]
    assert agreement(app, agreement_id).earned_amount == 500_000
    assert_books_ok(app)


def test_a_lapse_run_racing_a_verification_leaves_one_outcome(app, sessions, together, clock):
    w = world(sessions)
    agreement_id = agreed(app, w, fire_draft(app, deadline=today(app) + timedelta(days=2)))
    evidence(app, w, agreement_id, 28)
    clock.advance(timedelta(days=3))

    def work(index: int):
        if index == 0:
            return verify(app, agreement_id)
        return jobs.run_due(sessions, now=clock_now(app), zone="Europe/London")

    together(2, work)
    status = agreement(app, agreement_id).status
    assert status in ("earned", "lapsed")
    assert len(transactions(app)) == (1 if status == "earned" else 0)
    assert_books_ok(app)
