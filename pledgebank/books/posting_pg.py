"""Posting on PostgreSQL in one call of `pb_ledger_post` (or `_many`), refusals mapped from SQLSTATE.

The function does under the chain-head lock what the ORM path does (see migration 0034); the canonical bytes
are encoded here, around the sequence number, so both paths seal the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, make_transient_to_detached

from pledgebank.books.models import Book, LedgerAccount, LedgerTransaction
from pledgebank.books.posting_types import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    PeriodClosed,
    Posted,
    UnknownAccount,
)
from pledgebank.errors import DomainError, NotFound
from pledgebank.ledger import canonical
from pledgebank.ledger.entries import JournalEntry

POST_ONE = text(
    "SELECT txn_id, txn_sequence, txn_prev_hash, txn_hash, txn_reverses_id, txn_created "
    "FROM pb_ledger_post(:book, :key, :before, :after, :date, :kind, :memo, CAST(:source AS json), :actor, "
    ":reverses, CAST(:version AS smallint), :recorded, CAST(:codes AS text[]), CAST(:amounts AS bigint[]), "
    "CAST(:currencies AS text[]))"
)
POST_MANY = text(
    "SELECT txn_id, txn_sequence, txn_prev_hash, txn_hash, txn_reverses_id, txn_created "
    "FROM pb_ledger_post_many(:book, CAST(:keys AS text[]), CAST(:befores AS bytea[]), "
    "CAST(:afters AS bytea[]), CAST(:dates AS date[]), CAST(:kinds AS text[]), CAST(:memos AS text[]), "
    "CAST(:sources AS json[]), CAST(:actors AS bigint[]), CAST(:reverses AS text[]), "
    "CAST(:version AS smallint), :recorded, CAST(:counts AS integer[]), CAST(:codes AS text[]), "
    "CAST(:amounts AS bigint[]), CAST(:currencies AS text[]))"
)


def post_one(session: Session, book: Book, entry: JournalEntry, now: datetime) -> Posted:
    """Seal entry in one round trip (see books.services.post for what it raises)."""
    before, after = canonical.canonical_parts(book_id=book.id, entry=entry)
    params = {
        "book": book.id,
        "key": entry.idempotency_key,
        "before": before,
        "after": after,
        "date": entry.effective_date,
        "kind": entry.kind,
        "memo": entry.memo,
        "source": json.dumps(entry.source_dict()),
        "actor": entry.actor_id,
        "reverses": entry.reverses_key,
        "version": canonical.FORMAT_VERSION,
        "recorded": _naive_utc(now),
        "codes": [p.account for p in entry.postings],
        "amounts": [p.amount.amount for p in entry.postings],
        "currencies": [p.amount.currency for p in entry.postings],
    }
    rows = _call(session, book, POST_ONE, params, [entry])
    posted = _posted(session, book, entry, (before, after), rows[0], now)
    if posted.created:
        _expire_balances(session, book.id, set(entry.accounts()))
    return posted


def post_many(session: Session, book: Book, entries: Sequence[JournalEntry], now: datetime) -> list[Posted]:
    """Seal entries in order in one round trip; all or none of them (see books.services.post_many)."""
    if not entries:
        return []
    parts = [canonical.canonical_parts(book_id=book.id, entry=entry) for entry in entries]
    postings = [p for entry in entries for p in entry.postings]
    params = {
        "book": book.id,
        "keys": [e.idempotency_key for e in entries],
        "befores": [before for before, _ in parts],
        "afters": [after for _, after in parts],
        "dates": [e.effective_date for e in entries],
        "kinds": [e.kind for e in entries],
        "memos": [e.memo for e in entries],
        "sources": [json.dumps(e.source_dict()) for e in entries],
        "actors": [e.actor_id for e in entries],
        "reverses": [e.reverses_key for e in entries],
        "version": canonical.FORMAT_VERSION,
        "recorded": _naive_utc(now),
        "counts": [len(e.postings) for e in entries],
        "codes": [p.account for p in postings],
        "amounts": [p.amount.amount for p in postings],
        "currencies": [p.amount.currency for p in postings],
    }
    rows = _call(session, book, POST_MANY, params, entries)
    replayed = [row.txn_id for row in rows if not row.txn_created]
    if replayed:  # loaded in one query, so each replay below finds its transaction in the session
        session.scalars(select(LedgerTransaction).where(LedgerTransaction.id.in_(replayed))).all()
    posted = [
        _posted(session, book, entry, part, row, now)
        for entry, part, row in zip(entries, parts, rows, strict=True)
    ]
    created = {
        code for entry, done in zip(entries, posted, strict=True) if done.created for code in entry.accounts()
    }
    if created:  # once for the batch: each call scans the session's whole identity map
        _expire_balances(session, book.id, created)
    return posted


def _naive_utc(now: datetime) -> datetime:
    """The column is naive UTC, as UTCDateTime stores it."""
    return now.astimezone(UTC).replace(tzinfo=None)


def _call(
    session: Session, book: Book, statement: Any, params: dict[str, Any], entries: Sequence[JournalEntry]
) -> list[Any]:
    # Pending changes go first: the function reads accounts, closed periods and earlier transactions.
    session.flush()
    try:
        return list(session.execute(statement, params))
    except DBAPIError as exc:
        error = _domain_error(exc, book, entries)
        if error is None:
            raise
        raise error from exc


def _domain_error(exc: DBAPIError, book: Book, entries: Sequence[JournalEntry]) -> DomainError | None:
    """The domain error a refusal of pb_ledger_post (or a guard of the database) stands for, if any."""
    state = getattr(exc.orig, "sqlstate", None)
    diag = getattr(exc.orig, "diag", None)
    detail = getattr(diag, "message_detail", None) or ""
    if state == "PB001":
        return IdempotencyConflict()
    if state == "PB002":
        return InsufficientFunds(f"{detail} holds too little for that.")
    if state == "PB003":
        return AlreadyReversed()
    if state == "PB004":
        day = _closed_entry_day(entries, date.fromisoformat(detail))
        return PeriodClosed.on(day, date.fromisoformat(detail))
    if state == "PB005":
        return UnknownAccount(f"The book {book.slug} has no account {detail}.")
    if state == "PB006":
        return NotFound("The transaction to reverse does not exist.")
    # The database's own guards, behind the function's checks: the guard constraint and the closed years.
    if getattr(diag, "constraint_name", None) == "ck_ledger_accounts_guard":
        return InsufficientFunds()
    if "the period is closed" in str(exc.orig):
        return PeriodClosed()
    return None


def _closed_entry_day(entries: Sequence[JournalEntry], closed: date) -> date:
    return next((e.effective_date for e in entries if e.effective_date <= closed), closed)


def _posted(
    session: Session, book: Book, entry: JournalEntry, parts: tuple[bytes, bytes], row: Any, now: datetime
) -> Posted:
    if not row.txn_created:
        existing = session.get(LedgerTransaction, row.txn_id)
        assert existing is not None  # the function just read it
        return Posted(existing, created=False)
    sealed = parts[0] + str(row.txn_sequence).encode("ascii") + parts[1]
    transaction = LedgerTransaction(
        id=row.txn_id,
        book_id=book.id,
        sequence=row.txn_sequence,
        effective_date=entry.effective_date,
        kind=entry.kind,
        memo=entry.memo,
        source=entry.source_dict(),
        actor_id=entry.actor_id,
        idempotency_key=entry.idempotency_key,
        reverses_id=row.txn_reverses_id,
        format_version=canonical.FORMAT_VERSION,
        canonical=sealed,
        prev_hash=bytes(row.txn_prev_hash),
        hash=bytes(row.txn_hash),
        recorded_at=now,
    )
    # The row is in the database already: the session knows it without loading or inserting it.
    make_transient_to_detached(transaction)
    session.add(transaction)
    return Posted(transaction, created=True)


def _expire_balances(session: Session, book_id: int, codes: set[str]) -> None:
    """Let accounts the session holds read their new balances (the database's trigger moved them)."""
    for held in list(session.identity_map.values()):
        if isinstance(held, LedgerAccount):
            state = inspect(held).dict
            if state.get("book_id") == book_id and state.get("code") in codes:
                session.expire(held, ["balance"])
