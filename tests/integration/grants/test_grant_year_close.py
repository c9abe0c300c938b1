"""A year cannot close while a grant payment dated inside it waits for its second approver: once closed, the
approval could never post, and money that left the bank would never reach the books."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pledgebank.books.closing import close_year
from pledgebank.books.models import ClosedPeriod
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from tests.factories.grants import (
    apply,
    approve,
    clock_now,
    decide,
    declare,
    give_fund,
    make_round,
    pay,
    reviewed,
    transactions,
    world,
)
from tests.factories.pledges import assert_books_ok


def _close(app, w, through: date):
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return close_year(
            session,
            actor_id=w.chair,
            book=book_of(session, w.neighbourhood_id),
            through=through,
            now=clock_now(app),
        )


def _closed(sessions) -> list[date]:
    with unit_of_work(sessions) as session:
        return list(session.scalars(select(ClosedPeriod.closed_through)))


def test_a_close_waits_for_grant_payments_dated_in_the_year_to_be_approved(app, sessions, clock):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0], 20_000, title="Benches for the green")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair)
    assert pay(app, grant, w.treasurer, threshold=10_000) == "awaiting_approval"
    paid_on = clock_now(app).date()
    clock.advance(timedelta(days=3))

    with pytest.raises(Conflict) as refused:
        _close(app, w, paid_on)
    assert (refused.value.code, refused.value.status) == ("payments_awaiting_approval", 409)
    message = refused.value.fields["through"][0]
    assert "Benches for the green" in message and "£200.00" in message and "approv" in message
    assert _closed(sessions) == []

    _close(app, w, paid_on - timedelta(days=1))  # a close before the payment's date strands nothing
    assert approve(app, grant, w.members[0]) == "paid"
    [paid] = transactions(app, "grant_paid")
    assert paid.effective_date == paid_on
    _close(app, w, paid_on)
    assert _closed(sessions) == [paid_on - timedelta(days=1), paid_on]
    assert_books_ok(app)
