"""What a format writer is given: the scope, the transactions (already being counted) and opening balances."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pledgebank.exports.header import Tally
from pledgebank.exports.reader import ExportTransaction, Scope


@dataclass(slots=True)
class ExportJob:
    """One export being written; `opening` holds balances brought forward when the export starts at a date."""

    scope: Scope
    transactions: Iterable[ExportTransaction]
    tally: Tally = field(default_factory=Tally)
    opening: dict[int, int] = field(default_factory=dict)
