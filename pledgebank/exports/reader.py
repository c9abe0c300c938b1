"""Reading a book for export: what a set of filters covers, then its transactions in sequence order (the
chain's order) or in date order (a journal's order: by effective date, then sequence).

The transactions come from one query ordered that way and by line, streamed (a server-side cursor on
PostgreSQL, `yield_per` rows at a time) and grouped into transactions as they arrive, so memory stays flat
however long the book is. Everything is bounded by the chain head read first, so an export is a consistent
prefix of the chain even while new transactions are posted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, cast, exists, func, select
from sqlalchemy.orm import Session, aliased

from pledgebank.books.models import Book, ChainHead, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.documents.queries import DocumentRef
from pledgebank.errors import InvalidInput
from pledgebank.exports.models import LedgerExport
from pledgebank.neighbourhoods.models import Fund, Neighbourhood

YIELD_PER = 10_000


@dataclass(frozen=True, slots=True)
class Filters:
    """What to export: one fund's transactions (whole, with every posting) and/or a range of dates."""

    fund: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidInput.field("date_to", "The end date is before the start date.")

    def as_dict(self) -> dict[str, str | None]:
        """The filters as plain text values (None when not set)."""
        return {
            "fund": self.fund,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """An account of the book as exports describe it."""

    id: int
    code: str
    name: str
    type: str
    fund: str | None
    currency: str


@dataclass(frozen=True, slots=True)
class PreviousExport:
    """The export made before this one: when, in what format, and the chain head it covered."""

    id: int
    format: str
    made_at: datetime
    last_sequence: int
    head_hash: bytes


@dataclass(frozen=True, slots=True)
class Scope:
    """What an export covers, known before its first line is written."""

    book_id: int
    book_slug: str
    neighbourhood: str
    currency: str
    filters: Filters
    fund_id: int | None
    book_head: int
    first_sequence: int | None
    last_sequence: int | None
    transactions: int
    first_date: date | None
    last_date: date | None
    previous_hash: bytes | None
    head_hash: bytes | None
    accounts: tuple[AccountInfo, ...]
    previous_export: PreviousExport | None
    generated_at: datetime

    @property
    def complete(self) -> bool:
        """True when the export holds every transaction from its first sequence to its last."""
        if self.filters.fund is not None or self.first_sequence is None or self.last_sequence is None:
            return False
        return self.transactions == self.last_sequence - self.first_sequence + 1


@dataclass(slots=True)
class ExportTransaction:
    """One transaction read for export; postings are (line, account id, amount, currency)."""

    sequence: int
    effective_date: date
    kind: str
    memo: str
    source: str
    hash: bytes
    prev_hash: bytes | None = None
    key: str | None = None
    actor_id: int | None = None
    reverses_sequence: int | None = None
    canonical: bytes | None = None
    postings: list[tuple[int, int, int, str]] = field(default_factory=list)
    # The transaction in words (books.describe), filled in as the export streams; never sealed.
    description: str = ""
    # The supporting documents (pledgebank.documents), filled in with the description; never sealed.
    documents: list[DocumentRef] = field(default_factory=list)


def _fund(session: Session, book: Book, slug: str | None) -> int | None:
    if slug is None:
        return None
    fund_id = session.scalar(
        select(Fund.id).where(Fund.neighbourhood_id == book.neighbourhood_id, Fund.slug == slug)
    )
    if fund_id is None:
        raise InvalidInput.field("fund", f"There is no fund called {slug!r} in this book.")
    return fund_id


def _conditions(book_id: int, head: int, filters: Filters, fund_id: int | None) -> list:
    # The fund test reads postings of its own (an alias), not the rows of an outer join on postings.
    t, p, a = LedgerTransaction, aliased(LedgerPosting), LedgerAccount
    conditions = [t.book_id == book_id, t.sequence <= head]
    if filters.date_from is not None:
        conditions.append(t.effective_date >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(t.effective_date <= filters.date_to)
    if fund_id is not None:
        fund_accounts = select(a.id).where(a.book_id == book_id, a.fund_id == fund_id)
        conditions.append(
            exists().where(
                p.book_id == book_id,
                p.transaction_id == t.id,
                p.account_id.in_(fund_accounts.scalar_subquery()),
            )
        )
    return conditions


def accounts_of(session: Session, book: Book) -> tuple[AccountInfo, ...]:
    """The book's accounts in chart order (book-level first, then each fund's)."""
    rows = session.execute(
        select(
            LedgerAccount.id,
            LedgerAccount.code,
            LedgerAccount.name,
            LedgerAccount.type,
            Fund.slug,
            LedgerAccount.currency,
        )
        .outerjoin(Fund, Fund.id == LedgerAccount.fund_id)
        .where(LedgerAccount.book_id == book.id)
        .order_by(LedgerAccount.fund_id.nulls_first(), LedgerAccount.id)
    )
    return tuple(AccountInfo(*row) for row in rows)


def export_scope(session: Session, book: Book, filters: Filters, *, now: datetime) -> Scope:
    """Read the chain head, the accounts and what the filters cover.

    Raises InvalidInput for a fund the book does not have.
    """
    t = LedgerTransaction
    head = session.scalar(select(ChainHead.sequence).where(ChainHead.book_id == book.id)) or 0
    fund_id = _fund(session, book, filters.fund)
    conditions = _conditions(book.id, head, filters, fund_id)
    first, last, count, first_date, last_date = session.execute(
        select(
            func.min(t.sequence),
            func.max(t.sequence),
            func.count(),
            func.min(t.effective_date),
            func.max(t.effective_date),
        ).where(*conditions)
    ).one()
    hashes = {
        row.sequence: row
        for row in session.execute(
            select(t.sequence, t.prev_hash, t.hash).where(t.book_id == book.id, t.sequence.in_([first, last]))
        )
    }
    previous = session.execute(
        select(
            LedgerExport.id,
            LedgerExport.format,
            LedgerExport.made_at,
            LedgerExport.last_sequence,
            LedgerExport.head_hash,
        )
        .where(LedgerExport.book_id == book.id, LedgerExport.head_hash.is_not(None))
        .order_by(LedgerExport.id.desc())
        .limit(1)
    ).first()
    name = session.scalar(select(Neighbourhood.name).where(Neighbourhood.id == book.neighbourhood_id))
    return Scope(
        book_id=book.id,
        book_slug=book.slug,
        neighbourhood=name or book.slug,
        currency=book.currency,
        filters=filters,
        fund_id=fund_id,
        book_head=head,
        first_sequence=first,
        last_sequence=last,
        transactions=count or 0,
        first_date=first_date,
        last_date=last_date,
        previous_hash=bytes(hashes[first].prev_hash) if first in hashes else None,
        head_hash=bytes(hashes[last].hash) if last in hashes else None,
        accounts=accounts_of(session, book),
        previous_export=PreviousExport(
            previous.id, previous.format, previous.made_at, previous.last_sequence, bytes(previous.head_hash)
        )
        if previous
        else None,
        generated_at=now,
    )


def read_transactions(
    session: Session, scope: Scope, *, full: bool = True, by_date: bool = False
) -> Iterator[ExportTransaction]:
    """Stream the scope's transactions in sequence order, or with `by_date` by (effective date, sequence);
    `full` adds sealed bytes and keys.

    Date order is what accounting tools expect of a journal (`hledger check ordereddates`): an entry
    backdated, or dated to the period it belongs to, is posted after entries dated later than it.
    """
    if scope.transactions == 0:
        return
    t, p = LedgerTransaction, LedgerPosting
    columns = [
        t.sequence,
        t.effective_date,
        t.kind,
        t.memo,
        cast(t.source, Text),
        t.hash,
        p.line,
        p.account_id,
        p.amount,
        p.currency,
    ]
    # Every format names the transaction a reversal reverses (its description says so), sealed or not.
    reversed_t = aliased(LedgerTransaction)
    statement = (
        select(*columns, reversed_t.sequence)
        .select_from(t)
        .join(p, (p.transaction_id == t.id) & (p.book_id == scope.book_id))
        .outerjoin(reversed_t, reversed_t.id == t.reverses_id)
    )
    if full:
        statement = statement.add_columns(t.prev_hash, t.idempotency_key, t.actor_id, t.canonical)
    conditions = _conditions(scope.book_id, scope.book_head, scope.filters, scope.fund_id)
    statement = (
        statement.where(*conditions, t.sequence >= scope.first_sequence, t.sequence <= scope.last_sequence)
        .order_by(*((t.effective_date,) if by_date else ()), t.sequence, p.line)
        .execution_options(stream_results=True, yield_per=YIELD_PER)
    )
    current: ExportTransaction | None = None
    # A Core result on the session's connection: plain rows, without the ORM's per-row bookkeeping.
    rows: Iterable[Sequence[Any]] = session.connection().execute(statement)
    for row in rows:
        if current is None or row[0] != current.sequence:
            if current is not None:
                yield current
            current = ExportTransaction(row[0], row[1], row[2], row[3], row[4], bytes(row[5]))
            current.reverses_sequence = row[10]
            if full:
                current.prev_hash = bytes(row[11])
                current.key, current.actor_id = row[12], row[13]
                current.canonical = bytes(row[14])
        current.postings.append((row[6], row[7], row[8], row[9]))
    if current is not None:
        yield current
