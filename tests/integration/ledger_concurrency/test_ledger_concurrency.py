"""Posting under real concurrency on PostgreSQL: separate connections in threads released together.

Idempotency holds when many callers race with one key, a guarded account pays exactly what it holds,
writers on one book get a gapless valid chain, and writers on different books do not wait for each other.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from psycopg import errors as pg_errors
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import InsufficientFunds, book_by_slug, post
from pledgebank.books.verify import check_book
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from tests.helpers.app import make_neighbourhood, make_user

pytestmark = pytest.mark.postgres

DAY = date(2026, 3, 2)
WAIT_S = 20


def gbp(pence: int) -> Money:
    return Money(pence, "GBP")


def receipt(key: str, pence: int, into: str = chart.BANK) -> JournalEntry:
    return rules.cash_received(
        amount=gbp(pence),
        fund="general",
        income_source="donations",
        key=key,
        on=DAY,
        source={"ref": key},
        into=into,
    )


def open_books(sessions, *names: str) -> list[int]:
    """Create a neighbourhood (so a book) per name; return the book ids."""
    chair_id = make_user(sessions, "treasurer@example.org", "Treasurer")
    slugs = [make_neighbourhood(sessions, chair_id, name=name) for name in names]
    with sessions() as session:
        return [book_by_slug(session, slug).id for slug in slugs]


def post_in_own_unit(sessions, clock, book_id: int, entry: JournalEntry) -> tuple[int, int, bool]:
    """Post entry in a unit of work of its own; return (transaction id, sequence, created)."""
    with unit_of_work(sessions) as session:
        posted = post(session, book=session.get(Book, book_id), entry=entry, now=clock.now())
        return posted.transaction.id, posted.transaction.sequence, posted.created


def book_state(sessions, book_id: int):
    """The book's sequences, its balances by code, and its verification."""
    with sessions() as session:
        book = session.get(Book, book_id)
        sequences = session.scalars(
            select(LedgerTransaction.sequence)
            .where(LedgerTransaction.book_id == book_id)
            .order_by(LedgerTransaction.sequence)
        ).all()
        balances = {
            code: balance
            for code, balance in session.execute(
                select(LedgerAccount.code, LedgerAccount.balance).where(LedgerAccount.book_id == book_id)
            )
        }
        return list(sequences), balances, check_book(session, book)


def test_one_key_posted_by_fifty_callers_at_once_is_one_transaction(sessions, clock, together):
    (book_id,) = open_books(sessions, "Race Street")
    entry = receipt("pledge-signup:812:capture", 1_000)

    outcomes = together(50, lambda _: post_in_own_unit(sessions, clock, book_id, entry))

    assert [o.error for o in outcomes if o.error is not None] == []
    ids = {o.value[0] for o in outcomes}
    assert len(ids) == 1
    assert sum(o.value[2] for o in outcomes) == 1
    sequences, balances, result = book_state(sessions, book_id)
    assert sequences == [1]
    assert balances[chart.held_in(chart.BANK, "general")] == 1_000
    assert result.ok, result.problems


def test_a_bank_that_can_pay_thirty_seven_debits_pays_exactly_thirty_seven(sessions, clock, together):
    (book_id,) = open_books(sessions, "Guard Street")
    post_in_own_unit(sessions, clock, book_id, receipt("float", 37 * 100))

    def pay(index: int):
        entry = rules.grant_paid(
            fund="general",
            amount=gbp(100),
            key=f"grant-payment:{index}",
            on=DAY,
            source={"grant": index},
            from_account=chart.BANK,
        )
        return post_in_own_unit(sessions, clock, book_id, entry)

    outcomes = together(100, pay)

    paid = [o for o in outcomes if o.error is None]
    refused = [o for o in outcomes if isinstance(o.error, InsufficientFunds)]
    assert [
        o.error for o in outcomes if o.error is not None and not isinstance(o.error, InsufficientFunds)
    ] == []
    assert (len(paid), len(refused)) == (37, 63)
    assert all(o.value[2] for o in paid)
    sequences, balances, result = book_state(sessions, book_id)
    assert sequences == list(range(1, 39))
    assert balances[chart.held_in(chart.BANK, "general")] == 0
    assert balances[chart.held_in(chart.GRANTS_PAYABLE, "general")] == 3_700
    assert result.ok, result.problems
    with sessions() as session:
        history = session.scalars(
            select(LedgerPosting.amount)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
            .where(
                LedgerTransaction.book_id == book_id,
                LedgerAccount.code == chart.held_in(chart.BANK, "general"),
            )
            .order_by(LedgerTransaction.sequence)
        ).all()
    running = [sum(history[: i + 1]) for i in range(len(history))]
    assert min(running) == 0
    assert running[-1] == 0


def test_eight_writers_on_one_book_make_one_gapless_valid_chain(sessions, clock, together):
    (book_id,) = open_books(sessions, "Queue Street")
    writers, each = 8, 25

    def write(writer: int) -> list[int]:
        return [
            post_in_own_unit(sessions, clock, book_id, receipt(f"w{writer}:{n}", 1 + writer * 100 + n))[1]
            for n in range(each)
        ]

    outcomes = together(writers, write)

    assert [o.error for o in outcomes if o.error is not None] == []
    assigned = sorted(sequence for o in outcomes for sequence in o.value)
    assert assigned == list(range(1, writers * each + 1))
    for o in outcomes:
        assert o.value == sorted(o.value)
    sequences, balances, result = book_state(sessions, book_id)
    assert sequences == list(range(1, writers * each + 1))
    assert balances[chart.held_in(chart.BANK, "general")] == sum(
        1 + w * 100 + n for w in range(writers) for n in range(each)
    )
    assert result.ok, result.problems
    assert result.report.head_sequence == writers * each
    with sessions() as session:
        keys = set(
            session.scalars(
                select(LedgerTransaction.idempotency_key).where(LedgerTransaction.book_id == book_id)
            )
        )
    assert keys == {f"w{w}:{n}" for w in range(writers) for n in range(each)}


def count_transactions(sessions, book_id: int) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(LedgerTransaction).where(LedgerTransaction.book_id == book_id)
        )


def test_a_writer_holding_one_book_does_not_block_another_book(sessions, clock):
    book_a, book_b = open_books(sessions, "Holding Street", "Free Street")
    a_posted, release = threading.Event(), threading.Event()
    a_errors: list[BaseException] = []

    def hold_book_a() -> None:
        try:
            with unit_of_work(sessions) as session:
                post(session, book=session.get(Book, book_a), entry=receipt("a:1", 500), now=clock.now())
                a_posted.set()
                assert release.wait(WAIT_S), "book A was never released"
        except BaseException as exc:
            a_errors.append(exc)
            a_posted.set()

    holder = threading.Thread(target=hold_book_a, daemon=True)
    holder.start()
    try:
        assert a_posted.wait(WAIT_S)
        assert a_errors == []

        # Control: another writer on book A does wait for the open transaction's chain-head lock.
        with pytest.raises(OperationalError) as blocked, unit_of_work(sessions) as session:
            session.execute(text("SET LOCAL lock_timeout = '300ms'"))
            post(session, book=session.get(Book, book_a), entry=receipt("a:2", 700), now=clock.now())
        assert isinstance(blocked.value.orig, pg_errors.LockNotAvailable)

        b_done: list[tuple[int, int, bool]] = []
        b_errors: list[BaseException] = []

        def write_book_b() -> None:
            try:
                b_done.append(post_in_own_unit(sessions, clock, book_b, receipt("b:1", 900)))
            except BaseException as exc:
                b_errors.append(exc)

        writer = threading.Thread(target=write_book_b, daemon=True)
        writer.start()
        writer.join(10)
        assert not writer.is_alive(), "a post on book B waited for book A's open transaction"
        assert b_errors == []
        assert b_done[0][1:] == (1, True)
        assert holder.is_alive()
        assert count_transactions(sessions, book_b) == 1
        assert count_transactions(sessions, book_a) == 0
    finally:
        release.set()
        holder.join(WAIT_S)
    assert not holder.is_alive()
    assert a_errors == []
    for book_id in (book_a, book_b):
        sequences, _, result = book_state(sessions, book_id)
        assert sequences == [1]
        assert result.ok, result.problems
