"""The demo's Gift Aid: Elm Park's HMRC reference, two declarations, and one claim waiting for HMRC's
payment that takes both cash pledges for the bulbs, a quarter of them owed by HMRC, and Ben's later gift
waiting for the next claim; the books verify."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.giftaid.claims import candidates
from pledgebank.giftaid.demo import seed_giftaid
from pledgebank.giftaid.models import GiftAidCharity, GiftAidClaim, GiftAidDeclaration
from tests.factories.giftaid import today
from tests.factories.pledges import assert_books_ok, ledger_kinds


def test_the_demo_has_two_declarations_and_one_claim(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_giftaid(app, ids)
    with unit_of_work(sessions) as session:
        assert session.scalars(select(GiftAidCharity.hmrc_reference)).one() == "EP12345"
        assert session.scalar(select(func.count()).select_from(GiftAidDeclaration)) == 2
        claim = session.scalars(select(GiftAidClaim)).one()
        assert (claim.status, claim.gifts_total, claim.gift_aid, len(claim.lines)) == (
            "submitted",
            3000,
            750,
            2,
        )
    assert ledger_kinds(app)["gift_aid_claimed"] == 1
    with unit_of_work(sessions) as session:  # Ben's baskets wait for the next claim
        day = today(app)
        waiting = [
            c
            for c in candidates(
                session, neighbourhood_id=claim.neighbourhood_id, start=day - timedelta(days=30), end=day
            )
            if c.claimable
        ]
        assert [c.received.gift.amount for c in waiting] == [2000]
    assert_books_ok(app)
