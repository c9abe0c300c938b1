"""Fill a book with many real, sealed transactions quickly, for the planner and benchmark tests.

Each entry is built by a ledger rule and sealed with its canonical bytes and chain hash exactly as `post()`
seals it; the rows are inserted a batch at a time (transactions, their postings, then their seals) through the
real schema, so every database guard still runs: the balance trigger, the seal's zero-sum, chain and hash
checks, the append-only triggers. Only the per-post round trips of `post()` are skipped.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.accounts.services import create_user
from pledgebank.books.models import (
    Book,
    ChainHead,
    LedgerAccount,
    LedgerPosting,
    LedgerSeal,
    LedgerTransaction,
)
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.ledger import canonical, chart, rules
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.services import create_neighbourhood

BATCH = 2_000
# Each posting updates its account's balance row; in one long transaction those updates pile up row versions
# that every later update must step over, so large fills commit every CHUNK postings.
CHUNK = 2_000


def open_book(session: Session, *, name: str, now: datetime) -> Book:
    """A neighbourhood (with its chair, general fund and book) opened through the services."""
    chair = create_user(
        session,
        email=f"chair-{secrets.token_hex(4)}@example.org",
        display_name=f"Chair of {name}",
        password=secrets.token_urlsafe(24),
        now=now,
        verified=True,
    )
    neighbourhood = create_neighbourhood(
        session,
        actor_id=chair.id,
        name=name,
        postcode_district="SE15",
        description="",
        currency="GBP",
        now=now,
    )
    return book_of(session, neighbourhood.id)


def entry_for(prefix: str, n: int, on: date) -> JournalEntry:
    """A realistic mix: a bank transfer received (two postings) or a card payment with a fee (three)."""
    if n % 2:
        return rules.card_payment_received(
            gross=Money(1_000 + n % 500, "GBP"),
            fee=Money(20 + n % 7, "GBP"),
            fund="general",
            income_source="pledges",
            key=f"{prefix}:{n}",
            on=on,
            source={"pledge": n},
        )
    return rules.cash_received(
        amount=Money(500 + n % 300, "GBP"),
        fund="general",
        income_source="donations",
        key=f"{prefix}:{n}",
        on=on,
        source={"gift": n},
        into=chart.BANK,
    )


def fill_book(session: Session, book: Book, *, postings: int, until: date, days: int, now: datetime) -> int:
    """Append entries dated over the `days` days up to `until` until the book has `postings` more postings.

    Returns the number of postings written. The caller commits.
    """
    accounts = {
        code: account_id
        for code, account_id in session.execute(
            select(LedgerAccount.code, LedgerAccount.id).where(LedgerAccount.book_id == book.id)
        )
    }
    head = session.execute(
        select(ChainHead.sequence, ChainHead.hash).where(ChainHead.book_id == book.id).with_for_update()
    ).one()
    sequence, prev_hash = head.sequence, bytes(head.hash)
    written, n = 0, head.sequence
    while written < postings:
        batch: list[tuple[dict, JournalEntry]] = []
        while written < postings and len(batch) < BATCH:
            n += 1
            on = until - timedelta(days=(n * 7919) % days)
            entry = entry_for(f"bulk-{book.id}", n, on)
            sequence += 1
            data = canonical.canonical_bytes(book_id=book.id, sequence=sequence, entry=entry)
            digest = canonical.chain_hash(prev_hash, data)
            row = {
                "book_id": book.id,
                "sequence": sequence,
                "effective_date": on,
                "kind": entry.kind,
                "memo": entry.memo,
                "source": entry.source_dict(),
                "actor_id": None,
                "idempotency_key": entry.idempotency_key,
                "reverses_id": None,
                "format_version": canonical.FORMAT_VERSION,
                "canonical": data,
                "prev_hash": prev_hash,
                "hash": digest,
                "recorded_at": now,
            }
            batch.append((row, entry))
            prev_hash = digest
            written += len(entry.postings)
        ids = session.scalars(
            insert(LedgerTransaction).returning(LedgerTransaction.id, sort_by_parameter_order=True),
            [row for row, _entry in batch],
        ).all()
        session.execute(
            insert(LedgerPosting),
            [
                {
                    "transaction_id": transaction_id,
                    "book_id": book.id,
                    "line": line,
                    "account_id": accounts[p.account],
                    "amount": p.amount.amount,
                    "currency": p.amount.currency,
                }
                for transaction_id, (_row, entry) in zip(ids, batch, strict=True)
                for line, p in enumerate(entry.postings, start=1)
            ],
        )
        # In sequence order: each seal's trigger checks the transaction follows the chain head it advances.
        session.execute(insert(LedgerSeal), [{"transaction_id": transaction_id} for transaction_id in ids])
    return written


def fill(
    sessions: sessionmaker[Session], book_id: int, *, postings: int, until: date, days: int, now: datetime
) -> None:
    """Fill a book as `fill_book` does, committing every CHUNK postings."""
    written = 0
    while written < postings:
        with unit_of_work(sessions) as session:
            book = session.get(Book, book_id)
            written += fill_book(
                session, book, postings=min(CHUNK, postings - written), until=until, days=days, now=now
            )
        # As autovacuum would: plans made while the tables were empty (the foreign-key checks' among them)
        # are replanned with statistics that match the tables' size.
        with sessions() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("ANALYZE ledger_transactions, ledger_postings"))
                session.commit()
