"""Hand-made scopes and sealed transactions for the pure export tests (no database)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from pledgebank.exports.reader import AccountInfo, ExportTransaction, Filters, Scope
from pledgebank.ledger import chart
from pledgebank.ledger.canonical import GENESIS_HASH
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.verify import seal

GENERATED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def accounts() -> tuple[AccountInfo, ...]:
    """The chart of one book with a general fund, numbered from 1."""
    specs = [*chart.book_accounts(), *chart.fund_accounts("general", "General fund")]
    return tuple(
        AccountInfo(n, spec.code, spec.name, spec.type.value, spec.fund, "GBP")
        for n, spec in enumerate(specs, 1)
    )


def sealed(entries: list[JournalEntry], book_id: int = 1, start: int = 1, previous: bytes = GENESIS_HASH):
    """The entries sealed in order from sequence `start` after `previous`, as the reader yields them."""
    ids = {account.code: account.id for account in accounts()}
    found = []
    for sequence, entry in enumerate(entries, start):
        record = seal(book_id=book_id, sequence=sequence, prev_hash=previous, entry=entry)
        previous = record.hash
        found.append(
            ExportTransaction(
                sequence=sequence,
                effective_date=entry.effective_date,
                kind=entry.kind,
                memo=entry.memo,
                source=json.dumps(entry.source_dict()),
                hash=record.hash,
                prev_hash=record.prev_hash,
                key=entry.idempotency_key,
                actor_id=entry.actor_id,
                canonical=record.canonical,
                postings=[
                    (line, ids[p.account], p.amount.amount, p.amount.currency)
                    for line, p in enumerate(entry.postings, 1)
                ],
            )
        )
    return found


def scope_for(transactions: list[ExportTransaction], filters: Filters | None = None) -> Scope:
    """The scope an export of these transactions would have."""
    first, last = transactions[0], transactions[-1]
    return Scope(
        book_id=1,
        book_slug="elm-park",
        neighbourhood="Elm Park",
        currency="GBP",
        filters=filters or Filters(),
        fund_id=None,
        book_head=last.sequence,
        first_sequence=first.sequence,
        last_sequence=last.sequence,
        transactions=len(transactions),
        first_date=min(t.effective_date for t in transactions),
        last_date=max(t.effective_date for t in transactions),
        previous_hash=first.prev_hash,
        head_hash=last.hash,
        accounts=accounts(),
        previous_export=None,
        generated_at=GENERATED,
    )


def day(month: int, number: int) -> date:
    """A day of 2026."""
    return date(2026, month, number)
