"""On PostgreSQL with real threads: ten runs at once of the move of legacy balances into fund shares post it
once, and the book-level accounts end at zero."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.books.legacy import attribute_legacy
from pledgebank.books.models import LedgerAccount, LedgerTransaction
from pledgebank.books.services import book_by_slug, post
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart
from pledgebank.ledger.entries import JournalEntry, Posting
from pledgebank.ledger.money import Money
from tests.factories.grants import clock_now, today, world
from tests.factories.pledges import assert_books_ok

pytestmark = pytest.mark.postgres


def test_ten_runs_at_once_move_the_legacy_balances_once(app, sessions, together):
    w = world(sessions)
    with unit_of_work(sessions) as session:  # a donation posted as before money was attributed to funds
        legs = [
            Posting(chart.BANK, Money(5_000, "GBP")),
            Posting("income:general:donations", Money(-5_000, "GBP")),
        ]
        entry = JournalEntry.build(
            kind="cash_received",
            effective_date=today(app),
            postings=legs,
            memo="cash_received",
            idempotency_key="old",
        )
        post(session, book=book_by_slug(session, w.slug), entry=entry, now=clock_now(app))

    def run(_n: int):
        with unit_of_work(sessions) as session:
            book = book_by_slug(session, w.slug)
            _plan, posted = attribute_legacy(session, book=book, today=today(app), now=clock_now(app))
            return posted is not None and posted.created

    outcomes = together(10, run)
    assert [o.error for o in outcomes if o.error] == []
    assert sum(o.value for o in outcomes) == 1
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(LedgerTransaction)) == 2
        held = dict(session.execute(select(LedgerAccount.code, LedgerAccount.balance)).all())
    assert held[chart.BANK] == 0 and held[chart.held_in(chart.BANK, "general")] == 5_000
    assert_books_ok(app)
