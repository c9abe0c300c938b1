"""Exporting a book: choose the scope, stream a ledger format, and record the export once it is complete."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.describe import Item, describe, source_of
from pledgebank.books.models import Book, LedgerPosting, LedgerTransaction
from pledgebank.documents.queries import references_by_sequence
from pledgebank.exports.exportfiles import ExportFile, Peek, Record
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.header import Tally
from pledgebank.exports.job import ExportJob
from pledgebank.exports.models import LedgerExport
from pledgebank.exports.reader import ExportTransaction, Scope, export_scope, read_transactions

CHUNK = 64 * 1024
PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class LedgerFormat:
    """A format of the book's transactions: its writer, how a file of it is recognised and its reader.

    `sealed` formats carry each transaction's canonical bytes (so verify-export can re-hash the chain);
    `by_date` formats list transactions by date, then sequence, as accounting tools expect of a journal
    (the others keep the chain's order).
    """

    name: str
    label: str
    media_type: str
    extension: str
    write: Callable[[ExportJob], Iterator[str]]
    sniff: Callable[[Peek], bool]
    read: Callable[[ExportFile], Iterator[Record]]
    sealed: bool = True
    by_date: bool = False

    def open(self, session: Session, request: ExportRequest) -> Export:
        """Prepare an export of the book in this format (see open_ledger_export)."""
        return open_ledger_export(session, self, request)


@dataclass(slots=True)
class Export:
    """A ledger export ready to stream: its scope, a file name, a media type and the text in chunks.

    Set `progress` before streaming to be told, every thousand transactions, how many more were written.
    """

    scope: Scope
    format: str
    filename: str
    media_type: str
    chunks: Iterator[str]
    progress: Callable[[int], None] | None = None

    @property
    def total(self) -> int:
        """How many transactions the export holds (what `progress` counts)."""
        return self.scope.transactions

    @property
    def summary(self) -> str:
        """The book, the sequences and the chain head the export covers, in one line."""
        scope = self.scope
        head = scope.head_hash.hex() if scope.head_hash else "-"
        return (
            f"{scope.book_slug}: sequences {scope.first_sequence or '-'} to {scope.last_sequence or '-'} "
            f"({scope.transactions} transactions) as {self.format}; chain head {head}"
        )


def _counted(
    transactions: Iterable[ExportTransaction], tally: Tally, export: Export
) -> Iterator[ExportTransaction]:
    for tx in transactions:
        tally.transactions += 1
        tally.postings += len(tx.postings)
        if tally.last_sequence is None or tx.sequence > tally.last_sequence:
            tally.last_sequence, tally.head_hash = tx.sequence, tx.hash
        if export.progress is not None and tally.transactions % PROGRESS_EVERY == 0:
            export.progress(PROGRESS_EVERY)
        yield tx
    if export.progress is not None:
        export.progress(tally.transactions % PROGRESS_EVERY)


def described(
    session: Session, book: Book, transactions: Iterable[ExportTransaction], batch: int = 500
) -> Iterator[ExportTransaction]:
    """The transactions with their descriptions, described a batch at a time (memory stays flat)."""
    pending: list[ExportTransaction] = []
    for tx in transactions:
        pending.append(tx)
        if len(pending) >= batch:
            yield from _describe(session, book, pending)
            pending = []
    yield from _describe(session, book, pending)


def _describe(session: Session, book: Book, pending: list[ExportTransaction]) -> list[ExportTransaction]:
    items = [
        Item(tx.sequence, tx.kind, tx.memo, source_of(tx.source), tx.reverses_sequence) for tx in pending
    ]
    words = describe(session, book, items) if pending else {}
    documents = references_by_sequence(session, book, (tx.sequence for tx in pending))
    for tx in pending:
        # English, plain: the ledger exports are interchange files, never translated (a description is a
        # translatable message, which an f-string or str() would show in the language of the moment).
        tx.description = str.__str__(words[tx.sequence].text)
        tx.documents = documents.get(tx.sequence, [])
    return pending


def _batched(chunks: Iterable[str]) -> Iterator[str]:
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= CHUNK:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


def opening_balances(session: Session, scope: Scope) -> dict[int, int]:
    """Per account, the postings of the scope's transactions dated before its start date."""
    if scope.filters.date_from is None:
        return {}
    t, p = LedgerTransaction, LedgerPosting
    conditions = [
        t.book_id == scope.book_id,
        p.book_id == scope.book_id,
        t.sequence <= scope.book_head,
        t.effective_date < scope.filters.date_from,
    ]
    if scope.filters.fund is not None:
        fund_accounts = [a.id for a in scope.accounts if a.fund == scope.filters.fund]
        conditions.append(
            t.id.in_(
                select(p.transaction_id).where(p.book_id == scope.book_id, p.account_id.in_(fund_accounts))
            )
        )
    rows = session.execute(
        select(p.account_id, func.sum(p.amount))
        .join(t, t.id == p.transaction_id)
        .where(*conditions)
        .group_by(p.account_id)
    )
    return {account: int(total) for account, total in rows if total}


def record_export(
    session: Session, export: Export, tally: Tally, *, actor_id: int | None, now: datetime
) -> LedgerExport:
    """Record a finished export, so the next one can name the chain head it follows."""
    scope = export.scope
    row = LedgerExport(
        book_id=scope.book_id,
        format=export.format,
        fund_id=scope.fund_id,
        date_from=scope.filters.date_from,
        date_to=scope.filters.date_to,
        first_sequence=scope.first_sequence,
        last_sequence=tally.last_sequence,
        head_hash=tally.head_hash,
        transactions=tally.transactions,
        postings=tally.postings,
        made_by_id=actor_id,
        made_at=now,
    )
    session.add(row)
    return row


def open_ledger_export(session: Session, fmt: LedgerFormat, request: ExportRequest) -> Export:
    """Prepare a ledger export; streaming all its chunks records it in the session (the caller commits).

    Raises InvalidInput for a fund the book does not have.
    """
    book, filters = request.book, request.filters
    scope = export_scope(session, book, filters, now=request.now)
    span = f"{scope.first_sequence}-{scope.last_sequence}" if scope.first_sequence else "empty"
    fund = f"-{filters.fund}" if filters.fund else ""
    export = Export(
        scope=scope,
        format=fmt.name,
        filename=f"{book.slug}{fund}-ledger-{span}.{fmt.extension}",
        media_type=fmt.media_type,
        chunks=iter(()),
    )
    tally = Tally()
    read = read_transactions(session, scope, full=fmt.sealed, by_date=fmt.by_date)
    transactions = _counted(described(session, book, read), tally, export)
    job = ExportJob(scope, transactions, tally, opening_balances(session, scope))

    def chunks() -> Iterator[str]:
        yield from _batched(fmt.write(job))
        record_export(session, export, tally, actor_id=request.actor_id, now=request.now)

    export.chunks = chunks()
    return export
