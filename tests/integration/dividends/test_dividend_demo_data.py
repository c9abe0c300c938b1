"""The demo's community dividends: one agreement earned and paid, one in progress waiting for its verifier,
on books that verify."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.dividends.demo import seed_dividends
from pledgebank.dividends.models import DividendAgreement
from tests.factories.grants import transactions
from tests.factories.pledges import assert_books_ok


def test_the_demo_has_one_agreement_earned_and_paid_and_one_in_progress(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_dividends(app, ids)
    with unit_of_work(sessions) as session:
        found = {
            a.title: (a.status.value, a.earned_amount, a.latest_value)
            for a in session.scalars(select(DividendAgreement))
        }
    assert found == {
        "Fewer deliberate fires on the estates": ("paid", 500_000, 27),
        "More repairs reported the same week": ("evidence_submitted", None, 58),
    }
    assert [t.kind for t in transactions(app) if t.kind.startswith("dividend")] == [
        "dividend_earned",
        "dividend_received",
    ]
    assert_books_ok(app)
