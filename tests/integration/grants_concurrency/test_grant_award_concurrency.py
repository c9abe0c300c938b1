"""Fifty awards at once against a fund (or a round budget) that can pay seventeen, on PostgreSQL with real
threads, each with its own connection: exactly seventeen are awarded and the books still verify."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from pledgebank.books.services import InsufficientFunds
from pledgebank.db import unit_of_work
from pledgebank.grants import funds, rounds
from pledgebank.grants.decisions import AwardTooLarge
from pledgebank.grants.models import GrantApplication
from tests.factories.grant_batches import reviewed_applications
from tests.factories.grants import decide, give_fund, make_round, transactions, world
from tests.factories.pledges import assert_books_ok

pytestmark = pytest.mark.postgres

AWARDS = 50
CAN_PAY = 17
EACH = 1_000


@pytest.mark.parametrize(
    ("guard", "fund_money", "budget", "refusal"),
    [
        ("fund", CAN_PAY * EACH, 100 * EACH, InsufficientFunds),
        ("round budget", 100 * EACH, CAN_PAY * EACH, AwardTooLarge),
    ],
)
def test_fifty_concurrent_awards_against_room_for_seventeen_award_exactly_seventeen(
    app, sessions, together, guard, fund_money, budget, refusal
):
    w = world(sessions, members=2, residents=2)
    give_fund(app, w.slug, fund_money)
    round_id = make_round(app, w, budget=budget, max_award=EACH)
    ids = reviewed_applications(app, w, round_id, AWARDS, EACH)

    outcomes = together(AWARDS, lambda i: decide(app, ids[i], w.chair, "award"))

    errors = Counter(type(o.error).__name__ for o in outcomes if o.error is not None)
    assert errors == {refusal.__name__: AWARDS - CAN_PAY}, guard
    assert sum(o.error is None for o in outcomes) == CAN_PAY
    with unit_of_work(sessions) as session:
        statuses = Counter(session.scalars(select(GrantApplication.status)))
        awarded = session.scalar(select(func.sum(GrantApplication.awarded_amount)))
        available = funds.available(session, rounds.get_round(session, round_id).fund_id)
    assert statuses == {"awarded": CAN_PAY, "under_review": AWARDS - CAN_PAY}
    assert awarded == CAN_PAY * EACH
    assert available == fund_money - CAN_PAY * EACH >= 0
    assert len(transactions(app, "grant_awarded")) == CAN_PAY
    assert_books_ok(app)
