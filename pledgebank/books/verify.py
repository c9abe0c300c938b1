"""Reading a book back from the database, in sequence order, and checking it with the pure verifier."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Result, select
from sqlalchemy.orm import Session, aliased

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


@dataclass(frozen=True, slots=True)
class BookCheck(Verdict):
    """A book's verification: the pure report plus storage checks (every transaction sealed)."""

    book: Book
    report: VerifyReport
    problems: list[Problem]


def _transactions(session: Session, book: Book) -> Result[*tuple[Any, ...]]:
    """The book's transactions in sequence order, one row each (sealed bytes read once)."""
    t, s = LedgerTransaction, LedgerSeal
    reversed_t = aliased(LedgerTransaction)
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
            reversed_t.idempotency_key.label("reverses_key"),
            s.transaction_id.label("sealed"),
        )
        .select_from(t)
        .outerjoin(reversed_t, reversed_t.id == t.reverses_id)
        .outerjoin(s, s.transaction_id == t.id)
        .where(t.book_id == book.id)
        .order_by(t.sequence)
        .execution_options(stream_results=True, yield_per=YIELD_PER)
    )
    return session.execute(statement)


def _postings(session: Session, book: Book) -> Result[int, int, int, str]:
    """The book's postings in (sequence, line) order: sequence, account id, amount, currency."""
    t, p = LedgerTransaction, LedgerPosting
    statement = (
        select(t.sequence, p.account_id, p.amount, p.currency)
        .join(t, (t.id == p.transaction_id) & (t.book_id == book.id))
        .where(p.book_id == book.id)
        .order_by(t.sequence, p.line)
        .execution_options(stream_results=True, yield_per=YIELD_PER)
    )
    return session.execute(statement)


def _records(
    session: Session, book: Book, codes: dict[int, str], unsealed: list[int]
) -> Iterator[StoredTransaction]:
    """Each transaction with its postings, merged from two ordered streams (no bytes repeated per posting)."""
    postings = _postings(session, book)
    pending = next(postings, None)
    for row in _transactions(session, book):
        sequence = row.sequence
        # Postings of a sequence with no transaction cannot exist (a foreign key); skip any before this one.
        while pending is not None and pending.sequence < sequence:
            pending = next(postings, None)
        legs = []
        while pending is not None and pending.sequence == sequence:
            legs.append((codes[pending.account_id], pending.amount, pending.currency))
            pending = next(postings, None)
        if row.sealed is None:
            unsealed.append(sequence)
        yield StoredTransaction(
            sequence=sequence,
            prev_hash=bytes(row.prev_hash),
            hash=bytes(row.hash),
            canonical=bytes(row.canonical),
            effective_date=row.effective_date,
            kind=row.kind,
            memo=row.memo,
            source=dict(row.source or {}),
            actor_id=row.actor_id,
            idempotency_key=row.idempotency_key,
            reverses_key=row.reverses_key,
            postings=tuple(legs),
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
    unsealed: list[int] = []
    report = verify_book(
        book_id=book.id,
        transactions=_records(session, book, codes, unsealed),
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
