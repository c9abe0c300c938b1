"""What every ledger export states about itself, and the running totals the journal formats assert."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pledgebank.exports.reader import Scope

EXPORT_VERSION = 1
HEADER_MARK = "pledgebank-export"
TRAILER_MARK = "pledgebank-export-end"


@dataclass(slots=True)
class Tally:
    """What has been written so far: counts, and the highest sequence seen with its hash (the chain head)."""

    transactions: int = 0
    postings: int = 0
    last_sequence: int | None = None
    head_hash: bytes | None = None


def _hex(value: bytes | None) -> str | None:
    return value.hex() if value is not None else None


def statement(scope: Scope, fmt: str) -> dict[str, Any]:
    """The export's header: the book, the filters, the sequence range and the chain head it covers."""
    previous = scope.previous_export
    return {
        "export": HEADER_MARK,
        "version": EXPORT_VERSION,
        "format": fmt,
        "book": {"id": scope.book_id, "slug": scope.book_slug, "currency": scope.currency},
        "neighbourhood": scope.neighbourhood,
        "generated_at": scope.generated_at.isoformat(),
        "filters": scope.filters.as_dict(),
        "complete": scope.complete,
        "book_head_sequence": scope.book_head,
        "first_sequence": scope.first_sequence,
        "last_sequence": scope.last_sequence,
        "transactions": scope.transactions,
        "first_date": scope.first_date.isoformat() if scope.first_date else None,
        "last_date": scope.last_date.isoformat() if scope.last_date else None,
        "previous_hash": _hex(scope.previous_hash),
        "head_hash": _hex(scope.head_hash),
        "previous_export": {
            "id": previous.id,
            "format": previous.format,
            "made_at": previous.made_at.isoformat(),
            "last_sequence": previous.last_sequence,
            "head_hash": previous.head_hash.hex(),
        }
        if previous
        else None,
        "accounts": [
            {"code": a.code, "name": a.name, "type": a.type, "fund": a.fund, "currency": a.currency}
            for a in scope.accounts
        ],
    }


def trailer(tally: Tally) -> dict[str, Any]:
    """The export's last line: how much was written and the chain head at its end."""
    return {
        "export": TRAILER_MARK,
        "transactions": tally.transactions,
        "postings": tally.postings,
        "last_sequence": tally.last_sequence,
        "head_hash": _hex(tally.head_hash),
    }


def compact(document: dict[str, Any]) -> str:
    """One-line JSON for headers and trailers."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=True)


def comment_lines(scope: Scope, tool: str) -> list[str]:
    """The header in words, for the comment lines at the top of the journal formats."""
    first, last = scope.first_sequence, scope.last_sequence
    covered = (
        f"sequences {first} to {last} ({scope.transactions} transactions)" if first else "no transactions"
    )
    filters = (
        ", ".join(f"{name} {value}" for name, value in scope.filters.as_dict().items() if value) or "none"
    )
    previous = scope.previous_export
    lines = [
        f"PledgeBank ledger export of {scope.neighbourhood} for {tool}",
        f"Book {scope.book_slug}, kept in {scope.currency}",
        f"Generated {scope.generated_at.isoformat()}; filters: {filters}",
        f"Covers {covered}; whole chain: {'yes' if scope.complete else 'no'}",
        f"Chain hash before the first: {_hex(scope.previous_hash) or '-'}",
        f"Chain head after the last: {_hex(scope.head_hash) or '-'}",
        "Previous export: "
        + (
            f"#{previous.id} ({previous.format}) up to sequence {previous.last_sequence}, "
            f"head {previous.head_hash.hex()}"
            if previous
            else "none"
        ),
        "Each account's code metadata is the book's own account code.",
        "`pledgebank verify-export OLD NEW` re-hashes each transaction's canonical bytes (base64 in its",
        "metadata) to prove that one export extends another.",
    ]
    return lines


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


class MonthEndBalances:
    """Running balances per account folded by month, for balance assertions at each month end.

    The journal writers add transactions in date order and ask for the month ends before each one's date
    (`month_ends(before=day)`), so every month's assertions are written as soon as a later month begins and
    the file stays in date order. Transactions dated in a month not yet given may come in any order; memory
    is O(accounts x months not yet given).
    """

    def __init__(self, opening: dict[int, int], start: date | None) -> None:
        self.balances = dict(opening)
        self.deltas: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.first: date | None = start
        self.last: date | None = start
        self.given: date | None = None

    def add(self, day: date, postings: list[tuple[int, int, int, str]]) -> None:
        """Fold one transaction's postings into its month.

        Raises ValueError for a day in a month whose balances were already given: they would be wrong.
        """
        end = _month_end(day)
        if self.given is not None and end <= self.given:
            raise ValueError(f"{day} is in a month whose closing balances were already given")
        month = self.deltas[end]
        for _line, account_id, amount, _currency in postings:
            month[account_id] += amount
        if self.first is None or day < self.first:
            self.first = day
        if self.last is None or day > self.last:
            self.last = day

    def month_ends(self, before: date | None = None) -> Iterator[tuple[date, dict[int, int]]]:
        """Each month end not given yet, from the first date's month to the last's (with `before`, only those
        of months before `before`'s), with every touched account's balance then."""
        if self.first is None or self.last is None:
            return
        end = _month_end(self.first) if self.given is None else _month_end(self.given + timedelta(days=1))
        stop = _month_end(self.last) if before is None else before.replace(day=1) - timedelta(days=1)
        while end <= stop:
            for account_id, amount in self.deltas.pop(end, {}).items():
                self.balances[account_id] = self.balances.get(account_id, 0) + amount
            self.given = end
            yield end, dict(self.balances)
            end = _month_end(end + timedelta(days=1))
