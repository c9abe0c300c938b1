"""The reference model the ledger state machine checks a book against: balances, records, posting count."""

from __future__ import annotations

from dataclasses import dataclass, field

from pledgebank.ledger import chart
from pledgebank.ledger.entries import JournalEntry

FUND = "general"
GUARDED = frozenset(
    spec.code
    for spec in chart.book_accounts() + chart.fund_accounts(FUND, "General fund")
    if spec.must_not_go_negative
)
CODES = tuple(sorted(spec.code for spec in chart.book_accounts() + chart.fund_accounts(FUND, "General fund")))


@dataclass
class Record:
    """A transaction the model knows is in the book."""

    key: str
    entry: JournalEntry
    transaction_id: int
    sequence: int
    reversal_id: int | None = None


@dataclass
class Model:
    """What the book must hold."""

    balances: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))
    records: list[Record] = field(default_factory=list)
    postings: int = 0

    def would_overdraw(self, entry: JournalEntry) -> bool:
        """True when posting the entry would take a guarded account below zero."""
        after = dict(self.balances)
        for posting in entry.postings:
            after[posting.account] += posting.amount.amount
        return any(after[code] < 0 for code in GUARDED)

    def apply(self, entry: JournalEntry, transaction_id: int, sequence: int) -> None:
        """Fold a newly sealed entry into the model."""
        for posting in entry.postings:
            self.balances[posting.account] += posting.amount.amount
        self.postings += len(entry.postings)
        self.records.append(Record(entry.idempotency_key, entry, transaction_id, sequence))
