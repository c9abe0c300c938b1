"""Exporting a book: choose the scope, stream the chosen format, and record the export once it is complete."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerPosting, LedgerTransaction
from pledgebank.errors import InvalidInput
from pledgebank.exports import beancount_format, csv_format, hledger_format, jsonl_format
from pledgebank.exports.header import Tally
from pledgebank.exports.job import ExportJob
from pledgebank.exports.models import LedgerExport
from pledgebank.exports.reader import ExportTransaction, Filters, Scope, export_scope, read_transactions

FORMATS: dict[str, ModuleType] = {
    "csv": csv_format,
    "jsonl": jsonl_format,
    "beancount": beancount_format,
    "hledger": hledger_format,
}
# The accounting tools' formats list transactions by date; CSV and JSON Lines keep the chain's order.
JOURNALS = frozenset({"beancount", "hledger"})
CHUNK = 64 * 1024
PROGRESS_EVERY = 1000


@dataclass(slots=True)
class Export:
    """An export ready to stream: its scope, a file name, a media type and the text in chunks.

    Set `progress` before streaming to be told, every thousand transactions, how many more were written.
    """

    scope: Scope
    format: str
    filename: str
    media_type: str
    chunks: Iterator[str]
    progress: Callable[[int], None] | None = None


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


def open_export(
    session: Session,
    *,
    book: Book,
    fmt: str,
    filters: Filters,
    actor_id: int | None,
    now: datetime,
) -> Export:
    """Prepare a ledger export; streaming all its chunks records it in the session (the caller commits).

    Raises InvalidInput for an unknown format or fund.
    """
    module = FORMATS.get(fmt)
    if module is None:
        raise InvalidInput.field("format", f"There is no ledger export format called {fmt!r}.")
    scope = export_scope(session, book, filters, now=now)
    span = f"{scope.first_sequence}-{scope.last_sequence}" if scope.first_sequence else "empty"
    fund = f"-{filters.fund}" if filters.fund else ""
    export = Export(
        scope=scope,
        format=fmt,
        filename=f"{book.slug}{fund}-ledger-{span}.{module.EXTENSION}",
        media_type=module.MEDIA_TYPE,
        chunks=iter(()),
    )
    tally = Tally()
    read = read_transactions(session, scope, full=fmt != "csv", by_date=fmt in JOURNALS)
    transactions = _counted(read, tally, export)
    job = ExportJob(scope, transactions, tally, opening_balances(session, scope))

    def chunks() -> Iterator[str]:
        yield from _batched(module.write(job))
        record_export(session, export, tally, actor_id=actor_id, now=now)

    export.chunks = chunks()
    return export
