"""Reversing a transaction a second time is refused as AlreadyReversed, whatever the balances say."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.services import AlreadyReversed, book_by_slug, post, reverse
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from tests.helpers.app import make_neighbourhood, make_user

DAY = date(2026, 3, 2)


@pytest.mark.parametrize("left_in_bank", [0, 6_000], ids=["bank-emptied", "bank-could-pay-again"])
def test_a_second_reversal_is_already_reversed(sessions, clock, left_in_bank):
    chair_id = make_user(sessions, "treasurer@example.org", "Treasurer")
    slug = make_neighbourhood(sessions, chair_id)
    receipt = rules.cash_received(
        amount=Money(5_000, "GBP"),
        fund="general",
        income_source="donations",
        key="receipt:1",
        on=DAY,
        source={"receipt": 1},
        into=chart.BANK,
    )
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, slug)
        original = post(session, book=book, entry=receipt, now=clock.now()).transaction
        if left_in_bank:
            top_up = rules.cash_received(
                amount=Money(left_in_bank, "GBP"),
                fund="general",
                income_source="levies",
                key="receipt:2",
                on=DAY,
                source={"receipt": 2},
                into=chart.BANK,
            )
            post(session, book=book, entry=top_up, now=clock.now())
    with unit_of_work(sessions) as session:
        first = reverse(
            session,
            book=book_by_slug(session, slug),
            transaction_id=original.id,
            on=DAY,
            actor_id=chair_id,
            reason_code="entered-in-error",
            now=clock.now(),
        )
        assert first.created
    second = rules.reversal(receipt, key="reversal-again:receipt:1", on=DAY, reason_code="duplicate")
    with pytest.raises(AlreadyReversed), unit_of_work(sessions) as session:
        post(session, book=book_by_slug(session, slug), entry=second, now=clock.now())
    with sessions() as session:
        book = session.scalar(select(Book).where(Book.slug == slug))
        count = session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.book_id == book.id)
        )
        assert count == (3 if left_in_bank else 2)
        assert check_book(session, book).ok
