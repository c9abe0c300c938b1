"""Reading a book back from the database, in sequence order, and checking it with the pure verifier."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pledgebank.books.models import (
    Book,
    ChainHead,
    LedgerAccount,
    LedgerPosting,
    LedgerSeal,
    LedgerTransaction,
)
from pledgebank.ledger.verify import Problem, StoredTransaction, VerifyReport, verify_book


@dataclass(frozen=True, slots=True)
class BookCheck:
    """A book's verification: the pure report plus storage checks (every transaction sealed)."""

    book: Book
    report: VerifyReport
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        """The problem at the lowest sequence number (unattributed ones last)."""
        return self.problems[0] if self.problems else None


def _records(session: Session, book: Book, unsealed: list[int]) -> Iterator[StoredTransaction]:
    t, p, a, s = LedgerTransaction, LedgerPosting, LedgerAccount, LedgerSeal
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
            a.code,
            p.amount,
            p.currency,
        )
        .select_from(t)
        .outerjoin(p, p.transaction_id == t.id)
        .outerjoin(a, a.id == p.account_id)
        .outerjoin(reversed_t, reversed_t.id == t.reverses_id)
        .outerjoin(s, s.transaction_id == t.id)
        .where(t.book_id == book.id)
        .order_by(t.sequence, p.line)
        .execution_options(stream_results=True, yield_per=5000)
    )
    for _sequence, grouped in groupby(session.execute(statement), key=lambda row: row.sequence):
        rows = list(grouped)
        first = rows[0]
        if first.sealed is None:
            unsealed.append(first.sequence)
        yield StoredTransaction(
            sequence=first.sequence,
            prev_hash=bytes(first.prev_hash),
            hash=bytes(first.hash),
            canonical=bytes(first.canonical),
            effective_date=first.effective_date,
            kind=first.kind,
            memo=first.memo,
            source=dict(first.source or {}),
            actor_id=first.actor_id,
            idempotency_key=first.idempotency_key,
            reverses_key=first.reverses_key,
            postings=tuple((row.code, row.amount, row.currency) for row in rows if row.code is not None),
        )


def check_book(session: Session, book: Book) -> BookCheck:
    """Recompute the book's sums, balances and hash chain and compare them with what is stored."""
    accounts = session.execute(
        select(LedgerAccount.code, LedgerAccount.currency, LedgerAccount.balance).where(
            LedgerAccount.book_id == book.id
        )
    ).all()
    head = session.execute(
        select(ChainHead.sequence, ChainHead.hash).where(ChainHead.book_id == book.id)
    ).first()
    unsealed: list[int] = []
    report = verify_book(
        book_id=book.id,
        transactions=_records(session, book, unsealed),
        account_currencies={row.code: row.currency for row in accounts},
        maintained_balances={row.code: row.balance for row in accounts},
        chain_head=(head.sequence, bytes(head.hash)) if head else None,
    )
    problems = [
        *report.problems,
        *(Problem(seq, f"sequence {seq}: transaction is not sealed", "seal") for seq in unsealed),
    ]
    problems.sort(key=lambda problem: (problem.sequence is None, problem.sequence or 0))
    return BookCheck(book=book, report=report, problems=problems)


def check_books(session: Session, slug: str | None = None) -> list[BookCheck]:
    """Check one book (by slug) or every book."""
    statement = select(Book).order_by(Book.id)
    if slug is not None:
        statement = statement.where(Book.slug == slug)
    return [check_book(session, book) for book in session.scalars(statement)]
