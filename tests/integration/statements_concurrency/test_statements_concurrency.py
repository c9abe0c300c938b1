"""On PostgreSQL with real threads: one statement uploaded many times at once, and overlapping statements
uploaded together, store each line once; a line posted by many requests at once posts one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pledgebank.books.models import LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.statements import matching
from pledgebank.statements.models import Statement
from tests.factories.grants import world
from tests.factories.pledges import assert_books_ok
from tests.factories.statements import YEAR_LAYOUT, lines, statement_of_the_year, upload

pytestmark = pytest.mark.postgres


def test_the_same_statement_uploaded_at_once_stores_its_lines_once(app, sessions, together):
    w = world(sessions)
    data = statement_of_the_year().data
    outcomes = together(12, lambda _n: upload(app, w.treasurer, w.slug, data, layout=YEAR_LAYOUT))
    assert [o.error for o in outcomes if o.error] == []
    assert len({o.value[0] for o in outcomes}) == 1
    assert sorted(o.value[3] for o in outcomes) == [False] + [True] * 11
    assert len(lines(app, w.slug)) == 22


def test_overlapping_statements_uploaded_at_once_store_each_line_once(app, sessions, together):
    w = world(sessions)
    parts = [
        statement_of_the_year(through=date(2025, 6, 30)).data,
        statement_of_the_year(since=date(2025, 4, 1)).data,
        statement_of_the_year().data,
    ]
    outcomes = together(9, lambda n: upload(app, w.treasurer, w.slug, parts[n % 3], layout=YEAR_LAYOUT))
    assert [o.error for o in outcomes if o.error] == []
    assert len(lines(app, w.slug)) == 22
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Statement)) == 3
        assert session.scalar(select(func.sum(Statement.lines_added))) == 22


def test_a_line_posted_by_many_requests_at_once_posts_once(app, sessions, together):
    w = world(sessions)
    upload(app, w.treasurer, w.slug, statement_of_the_year().data, layout=YEAR_LAYOUT)
    interest = next(line for line in lines(app, w.slug) if line.description == "CREDIT INTEREST")

    def post(_n):
        with unit_of_work(sessions) as session:
            return matching.post_line(
                session,
                actor_id=w.treasurer,
                neighbourhood_id=w.neighbourhood_id,
                line_id=interest.id,
                kind="bank_interest",
                fund="general",
                now=app.extensions["pledgebank.clock"].now(),
            ).transaction_id

    outcomes = together(10, post)
    assert [o.error for o in outcomes if o.error] == []
    assert len({o.value for o in outcomes}) == 1
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(LedgerTransaction)) == 1
    assert_books_ok(app)
