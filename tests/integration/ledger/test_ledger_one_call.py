"""Posting in one call on PostgreSQL: the same sealed bytes as the ORM path, one statement a post or a batch,
and each refusal of the stored function mapped from its SQLSTATE to the domain error, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, text

from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    PeriodClosed,
    UnknownAccount,
    book_by_slug,
    post,
    post_many,
    post_through_orm,
)
from pledgebank.books.verify import check_book
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.errors import NotFound
from pledgebank.ledger import rules
from pledgebank.ledger.entries import JournalEntry, Posting
from tests.helpers.ledger_sql import DAY, PG_ADMIN_URL, database_copy, gbp, snapshot

pytestmark = pytest.mark.skipif(
    not PG_ADMIN_URL, reason="needs PostgreSQL: the stored function is PostgreSQL's"
)


def entries() -> list[JournalEntry]:
    """Entries of every shape: two and three postings, a memo and source to escape, a reversal."""
    return [
        rules.cash_received(
            amount=gbp(1_000 + n),
            fund="general",
            income_source="donations",
            key=f"same:{n}",
            on=DAY,
            source={"receipt": n, "note": 'a "quoted" \\ £ seq:1'},
        )
        for n in range(4)
    ] + [
        rules.card_payment_received(
            gross=gbp(2_000),
            fee=gbp(41),
            fund="general",
            income_source="pledges",
            key="same:card",
            on=DAY,
            source={"pledge": 3},
        ),
        rules.grant_awarded(amount=gbp(900), fund="general", key="same:award", on=DAY, source={"grant": 8}),
        rules.reversal(
            rules.grant_awarded(
                amount=gbp(900), fund="general", key="same:award", on=DAY, source={"grant": 8}
            ),
            key="reversal:same:award",
            on=DAY,
            actor_id=None,
            reason_code="raised-in-error",
        ),
    ]


def _sealed(url: str, slug: str) -> list[tuple]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, slug)
        assert check_book(session, book).ok
        rows = session.execute(
            select(
                LedgerTransaction.sequence,
                LedgerTransaction.idempotency_key,
                LedgerTransaction.canonical,
                LedgerTransaction.prev_hash,
                LedgerTransaction.hash,
                LedgerTransaction.reverses_id,
            )
            .where(LedgerTransaction.book_id == book.id)
            .order_by(LedgerTransaction.sequence)
        ).all()
    balances = dict(engine.connect().execute(text("SELECT code, balance FROM ledger_accounts")).all())
    engine.dispose()
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows] + [balances]


def test_the_stored_function_seals_the_same_bytes_as_the_orm(ledger_template, ledger_book, tmp_path, clock):
    urls = []
    with (
        database_copy(ledger_template, tmp_path) as by_orm,
        database_copy(ledger_template, tmp_path) as by_call,
    ):
        for url, one_call in ((by_orm, False), (by_call, True)):
            engine = make_engine(url)
            sessions = make_session_factory(engine)
            with unit_of_work(sessions) as session:
                book = book_by_slug(session, ledger_book.slug)
                first, rest = entries()[:3], entries()[3:]
                for entry in first:
                    (post if one_call else post_through_orm)(session, book=book, entry=entry, now=clock.now())
                if one_call:
                    post_many(session, book=book, entries=rest, now=clock.now())
                else:
                    for entry in rest:
                        post_through_orm(session, book=book, entry=entry, now=clock.now())
            engine.dispose()
            urls.append(url)
        assert _sealed(by_orm, ledger_book.slug) == _sealed(by_call, ledger_book.slug)


def _statements(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_a_post_and_a_batch_are_one_statement_each(ledger_book, sessions, engine, clock):
    seen = _statements(engine)
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        seen.clear()
        post(session, book=book, entry=entries()[0], now=clock.now())
        assert len(seen) == 1 and "pb_ledger_post(" in seen[0]
        seen.clear()
        posted = post_many(session, book=book, entries=entries()[1:], now=clock.now())
        assert len(seen) == 1 and "pb_ledger_post_many(" in seen[0]
        assert [p.created for p in posted] == [True] * 6
        assert [p.transaction.sequence for p in posted] == list(
            range(ledger_book.head + 2, ledger_book.head + 8)
        )
    with unit_of_work(sessions) as session:
        assert check_book(session, book_by_slug(session, ledger_book.slug)).ok


def test_replays_return_the_sealed_transactions_and_write_nothing(ledger_book, sessions, engine, clock):
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        first = [
            (p.transaction.id, p.transaction.hash)
            for p in post_many(session, book=book, entries=entries(), now=clock.now())
        ]
    before = snapshot(engine)
    clock.advance(timedelta(hours=1))
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, ledger_book.slug)
        again = post_many(session, book=book, entries=entries(), now=clock.now())
        one = post(session, book=book, entry=entries()[2], now=clock.now())
    assert [(p.transaction.id, p.transaction.hash) for p in again] == first
    assert not any(p.created for p in again) and not one.created
    assert (one.transaction.id, one.transaction.hash) == first[2]
    assert snapshot(engine) == before


def _refused(sessions, ledger_book, clock, batch: list[JournalEntry]) -> BaseException:
    with pytest.raises(Exception) as refused, unit_of_work(sessions) as session:
        post_many(session, book=book_by_slug(session, ledger_book.slug), entries=batch, now=clock.now())
    return refused.value


def cash(key: str, pence: int = 500) -> JournalEntry:
    return rules.cash_received(
        amount=gbp(pence), fund="general", income_source="donations", key=key, on=DAY, source={"receipt": key}
    )


def undo_levy(key: str, charge: int) -> JournalEntry:
    """The reversal of a levy charge raised under key (whether or not it was ever posted)."""
    raised = rules.receivable_raised(
        fund="general", amount=gbp(3_000), key=key, on=DAY, source={"charge": charge}
    )
    return rules.reversal(raised, key=f"undo:{key}", on=DAY, actor_id=None, reason_code="raised-in-error")


def nowhere() -> JournalEntry:
    return JournalEntry.build(
        kind="cash_received",
        effective_date=DAY,
        memo="",
        idempotency_key="nowhere",
        postings=[Posting("assets:cash", gbp(500)), Posting("income:nowhere", gbp(-500))],
    )


@pytest.mark.parametrize(
    ("last", "error", "sqlstate"),
    [
        (lambda: cash("t:cash:1", 12_001), IdempotencyConflict, "PB001"),
        (
            lambda: rules.grant_paid(
                fund="general", amount=gbp(10**9), key="pay:all", on=DAY, source={"g": 1}
            ),
            InsufficientFunds,
            "PB002",
        ),
        (lambda: undo_levy("t:levy:1", 9), AlreadyReversed, "PB003"),
        (nowhere, UnknownAccount, "PB005"),
        (lambda: undo_levy("never:posted", 8), NotFound, "PB006"),
    ],
)
def test_each_refusal_is_its_domain_error_from_its_sqlstate_and_the_batch_writes_nothing(
    ledger_book, sessions, engine, clock, last, error, sqlstate
):
    before = snapshot(engine)
    refused = _refused(sessions, ledger_book, clock, [cash("fine:1"), cash("fine:2"), last()])
    assert isinstance(refused, error)
    assert refused.__cause__.orig.sqlstate == sqlstate  # type: ignore[union-attr]
    assert snapshot(engine) == before
    with unit_of_work(sessions) as session:
        assert check_book(session, book_by_slug(session, ledger_book.slug)).ok


def test_a_date_in_a_closed_year_is_period_closed_naming_the_date(ledger_book, sessions, engine, clock):
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO closed_periods (book_id, closed_through, transaction_id, closed_by_id, "
                "closed_at) SELECT :b, :d, max(id), NULL, now() FROM ledger_transactions WHERE book_id = :b"
            ),
            {"b": ledger_book.book_id, "d": DAY},
        )
    before = snapshot(engine)
    refused = _refused(sessions, ledger_book, clock, [cash("closed:1")])
    assert isinstance(refused, PeriodClosed)
    assert refused.__cause__.orig.sqlstate == "PB004"  # type: ignore[union-attr]
    assert "2 March 2026" in refused.message
    assert snapshot(engine) == before
