"""Gift Aid claims made at once on PostgreSQL (two treasurers, two tabs, a double submit): each gift is
claimed once, one claim is made, the others are refused with the period's overlap, and the books verify.
Claims for different periods at once each take their own gifts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.models import GiftAidClaim, GiftAidClaimLine
from tests.factories.giftaid import charity_with_gifts, declare, make_claim, today
from tests.factories.pledges import assert_books_ok, ledger_kinds

pytestmark = pytest.mark.postgres

TIMES = 6


def test_claims_made_at_once_claim_each_gift_once(app, sessions, together):
    c = charity_with_gifts(app, sessions)
    for resident in c.w.residents:
        declare(app, c.w.slug, resident, Scope.PAST_FOUR_YEARS)
    day = today(app)
    start = day - timedelta(days=9)
    outcomes = together(TIMES, lambda n: make_claim(app, c.w.slug, c.w.treasurer, start, day))
    made = [o.value for o in outcomes if o.error is None]
    assert len(made) == 1
    assert all(isinstance(o.error, Conflict) for o in outcomes if o.error is not None)
    with unit_of_work(sessions) as session:
        refs = session.scalars(select(GiftAidClaimLine.gift_ref).order_by(GiftAidClaimLine.gift_ref)).all()
        assert sorted(refs) == sorted(c.refs)
        assert session.scalar(select(func.count()).select_from(GiftAidClaim)) == 1
    assert ledger_kinds(app)["gift_aid_claimed"] == 1
    assert_books_ok(app)


def test_claims_naming_the_same_gift_for_different_periods_at_once_take_it_once(app, sessions, together):
    c = charity_with_gifts(app, sessions)
    for resident in c.w.residents:
        declare(app, c.w.slug, resident, Scope.PAST_FOUR_YEARS)
    day = today(app)
    # Each day of the last ten a claim of its own: only the one whose day holds the gifts takes them.
    outcomes = together(
        10,
        lambda n: make_claim(app, c.w.slug, c.w.treasurer, day - timedelta(days=n), day - timedelta(days=n)),
    )
    made = [o for o in outcomes if o.error is None]
    assert len(made) == 1
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(GiftAidClaimLine)) == 2
    assert_books_ok(app)
