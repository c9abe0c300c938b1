"""Reading a book back from the database, in sequence order, and checking it with the pure verifier."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, exists, select, true
from sqlalchemy.orm import Session

from pledgebank.books.models import (
    Book,
    ChainHead,
    LedgerAccount,
    LedgerMonthlyTotal,
    LedgerPosting,
    LedgerSeal,
    LedgerTransaction,
)
from pledgebank.documents.checks import check_documents
from pledgebank.documents.storage import DocumentStore
from pledgebank.ledger.verify import Problem, StoredTransaction, Verdict, VerifyReport, verify_book

YIELD_PER = 5000
Rows = Generator[tuple[Any, ...], None, None]


@dataclass(frozen=True, slots=True)
class BookCheck(Verdict):
    """A book's verification: the pure report plus storage checks (every transaction sealed)."""

    book: Book
    report: VerifyReport
    problems: list[Problem]


def _transactions(session: Session, book: Book) -> Rows:
    """The book's transactions in sequence order, one row each, read along the (book, sequence) index.

    No join: the key a reversal reverses is looked up for reversals only, and seals are checked apart."""
    t = LedgerTransaction.__table__.c
    reversed_t = LedgerTransaction.__table__.alias("reversed_t")
    reverses_key = (
        select(reversed_t.c.idempotency_key).where(reversed_t.c.id == t.reverses_id).scalar_subquery()
    )
    statement = (
        select(
            t.sequence,
            t.prev_hash,
            t.hash,
            t.canonical,
            t.effective_date,
            t.kind,
            t.memo,
            t.source,
            t.actor_id,
            t.idempotency_key,
            case((t.reverses_id.is_not(None), reverses_key)).label("reverses_key"),
        )
        .where(t.book_id == book.id)
        .order_by(t.sequence)
    )
    return _stream(session, statement, "verify_transactions")


def _postings(session: Session, book: Book) -> Rows:
    """The book's postings in (sequence, line) order: sequence, account id, amount, currency.

    On PostgreSQL each transaction's postings are read by its (transaction, line) key as the transactions
    come in sequence order, so nothing is sorted; SQLite's planner finds that order from the join."""
    t, p = LedgerTransaction.__table__.c, LedgerPosting.__table__.c
    columns = (p.account_id, p.amount, p.currency)
    if session.get_bind().dialect.name == "postgresql":
        legs = (
            select(*columns, p.line)
            .where(p.transaction_id == t.id, p.book_id == book.id)
            .order_by(p.line)
            .lateral("legs")
        )
        statement = (
            select(t.sequence, legs.c.account_id, legs.c.amount, legs.c.currency)
            .select_from(LedgerTransaction.__table__.join(legs, true()))
            .where(t.book_id == book.id)
            .order_by(t.sequence, legs.c.line)
        )
    else:
        statement = (
            select(t.sequence, *columns)
            .join_from(LedgerTransaction.__table__, LedgerPosting.__table__, p.transaction_id == t.id)
            .where(t.book_id == book.id, p.book_id == book.id)
            .order_by(t.sequence, p.line)
        )
    return _stream(session, statement, "verify_postings")


def _stream(session: Session, statement: Select[Any], name: str) -> Rows:
    """A Core statement's rows as plain tuples, a batch at a time, never the whole book in memory.

    On PostgreSQL straight from a server-side cursor of the driver, in binary (hashes and sealed bytes
    arrive as bytes, not hex text), which takes half the work a row of SQLAlchemy's streamed result does;
    elsewhere through that result."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        compiled = statement.compile(dialect=connection.dialect)
        driver = connection.connection.driver_connection
        assert driver is not None  # a checked-out connection has its driver's
        with driver.cursor(name=name, binary=True) as cursor:
            cursor.execute(str(compiled), compiled.params)
            while rows := cursor.fetchmany(YIELD_PER):
                yield from rows
        return
    result = connection.execution_options(stream_results=True, yield_per=YIELD_PER).execute(statement)
    for batch in result.partitions():
        yield from batch


def _unsealed(session: Session, book: Book) -> list[int]:
    """The sequences of the book's transactions that have no seal row."""
    t, s = LedgerTransaction, LedgerSeal
    return list(
        session.scalars(
            select(t.sequence)
            .where(t.book_id == book.id, ~exists().where(s.transaction_id == t.id))
            .order_by(t.sequence)
        )
    )


def _records(session: Session, book: Book, codes: dict[int, str]) -> Iterator[StoredTransaction]:
    """Each transaction with its postings, merged from two ordered streams (no bytes repeated per posting)."""
    postings = _postings(session, book)
    pending = next(postings, None)
    for (
        sequence,
        prev_hash,
        hash_,
        sealed,
        effective_date,
        kind,
        memo,
        source,
        actor_id,
        idempotency_key,
        reverses_key,
    ) in _transactions(session, book):
        # Postings of a sequence with no transaction cannot exist (a foreign key); skip any before this one.
        while pending is not None and pending[0] < sequence:
            pending = next(postings, None)
        legs = []
        while pending is not None and pending[0] == sequence:
            legs.append((codes[pending[1]], pending[2], pending[3]))
            pending = next(postings, None)
        yield StoredTransaction(
            sequence,
            bytes(prev_hash),
            bytes(hash_),
            bytes(sealed),
            effective_date,
            kind,
            memo,
            source if type(source) is dict else dict(source or {}),
            actor_id,
            idempotency_key,
            reverses_key,
            tuple(legs),
        )
    postings.close()


def check_book(session: Session, book: Book, documents: DocumentStore | None = None) -> BookCheck:
    """Recompute the book's sums, balances, monthly totals and hash chain; compare with what is stored.

    Given the document store, also re-hash every supporting document's file against the hash sealed for it.
    """
    accounts = session.execute(
        select(LedgerAccount.id, LedgerAccount.code, LedgerAccount.currency, LedgerAccount.balance).where(
            LedgerAccount.book_id == book.id
        )
    ).all()
    head = session.execute(
        select(ChainHead.sequence, ChainHead.hash).where(ChainHead.book_id == book.id)
    ).first()
    codes = {row.id: row.code for row in accounts}
    m = LedgerMonthlyTotal
    monthly = {
        (codes.get(row.account_id, f"account {row.account_id}"), row.month): (
            row.amount,
            row.closed,
            row.cash_debits,
            row.cash_credits,
        )
        for row in session.execute(
            select(m.account_id, m.month, m.amount, m.closed, m.cash_debits, m.cash_credits).where(
                m.book_id == book.id
            )
        )
    }
    unsealed = _unsealed(session, book)
    report = verify_book(
        book_id=book.id,
        transactions=_records(session, book, codes),
        account_currencies={row.code: row.currency for row in accounts},
        maintained_balances={row.code: row.balance for row in accounts},
        chain_head=(head.sequence, bytes(head.hash)) if head else None,
        monthly_totals=monthly,
    )
    problems = [
        *report.problems,
        *(Problem(seq, f"sequence {seq}: transaction is not sealed", "seal") for seq in unsealed),
        *(check_documents(session, documents, book) if documents is not None else ()),
    ]
    problems.sort(key=lambda problem: (problem.sequence is None, problem.sequence or 0))
    return BookCheck(book=book, report=report, problems=problems)


def check_books(
    session: Session, slug: str | None = None, documents: DocumentStore | None = None
) -> list[BookCheck]:
    """Check one book (by slug) or every book (with its documents, given the store)."""
    statement = select(Book).order_by(Book.id)
    if slug is not None:
        statement = statement.where(Book.slug == slug)
    return [check_book(session, book, documents) for book in session.scalars(statement)]
