"""Pledges of the same title started at once, on PostgreSQL with real threads: each opens its own restricted
fund, under its own slug, and none fails."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Fund
from pledgebank.pledges.models import Pledge
from tests.factories.pledges import assert_books_ok, make_pledge, neighbourhood_with

pytestmark = pytest.mark.postgres

AT_ONCE = 8


def test_pledges_of_one_title_started_at_once_each_get_a_fund_of_their_own(app, sessions, together):
    slug, _, residents = neighbourhood_with(sessions, residents=AT_ONCE)
    outcomes = together(AT_ONCE, lambda n: make_pledge(app, slug, residents[n], title="Fix the fence"))
    assert [outcome.error for outcome in outcomes if outcome.error] == []
    with unit_of_work(sessions) as session:
        slugs = session.scalars(select(Fund.slug).join(Pledge, Pledge.fund_id == Fund.id)).all()
    assert sorted(slugs) == sorted(["fix-the-fence", *(f"fix-the-fence-{n}" for n in range(2, AT_ONCE + 1))])
    assert_books_ok(app)
