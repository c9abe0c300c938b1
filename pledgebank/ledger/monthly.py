"""Per-account monthly totals recomputed from a book's transactions (what the database keeps at each seal).

Per account and month: the net of its postings, the part year-end closes posted, and its debits and credits
in transactions that move money through the bank, the cash box or Stripe clearing (year-end closes and the
move of legacy balances into fund shares excepted). The public chart of money in and out reads these.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pledgebank.ledger import chart
from pledgebank.ledger.kinds import LEGACY_ATTRIBUTED, YEAR_CLOSED

CASH_PLACES = (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
NOT_FLOWS = (YEAR_CLOSED, LEGACY_ATTRIBUTED)
Totals = tuple[int, int, int, int]  # amount, closed, cash debits, cash credits
Key = tuple[str, datetime.date]  # account code, first day of the month
Leg = tuple[str, int] | tuple[str, int, str]  # account code and amount, or a posting row starting with them


def month_of(day: datetime.date) -> datetime.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def is_cash(code: str) -> bool:
    """True for the bank, the cash box and Stripe clearing, book-level or a fund's share."""
    return chart.place_of(code) in CASH_PLACES


def moves_cash(kind: str, codes: Iterable[str]) -> bool:
    """Whether a transaction of this kind and these accounts counts in the money in and out."""
    return kind not in NOT_FLOWS and any(is_cash(code) for code in codes)


class MonthlyTotals:
    """Running totals per (account code, month), fed one transaction at a time."""

    def __init__(self) -> None:
        self.totals: dict[Key, list[int]] = {}
        self._cash: dict[str, bool] = {}  # is_cash by account code: a book has few accounts, many legs

    def _moves_cash(self, kind: str, legs: Sequence[Leg]) -> bool:
        if kind in NOT_FLOWS:
            return False
        for leg in legs:
            flag = self._cash.get(leg[0])
            if flag is None:
                flag = self._cash[leg[0]] = is_cash(leg[0])
            if flag:
                return True
        return False

    def add(
        self,
        day: datetime.date,
        kind: str,
        postings: Iterable[Leg],
    ) -> None:
        """Fold in one transaction's legs: (account code, amount), or posting rows that start with them."""
        legs: Sequence[Leg] = postings if isinstance(postings, list | tuple) else list(postings)
        moves = self._moves_cash(kind, legs)
        closed = kind == YEAR_CLOSED
        month = day.replace(day=1)
        totals = self.totals
        for leg in legs:
            code, amount = leg[0], leg[1]
            row = totals.get((code, month))
            if row is None:
                row = totals[(code, month)] = [0, 0, 0, 0]
            row[0] += amount
            if closed:
                row[1] += amount
            if moves:
                row[2 if amount > 0 else 3] += amount

    def result(self) -> dict[Key, Totals]:
        """The totals, each as (amount, closed, cash debits, cash credits)."""
        return {key: (row[0], row[1], row[2], row[3]) for key, row in self.totals.items()}


@dataclass(frozen=True, slots=True)
class WrongMonth:
    """The first month whose stored totals differ from the postings."""

    code: str
    month: datetime.date
    stored: Totals
    recomputed: Totals

    @property
    def message(self) -> str:
        """The difference in words."""
        return (
            f"{self.code} in {self.month:%Y-%m}: monthly totals (amount, closed, cash debits, cash credits) "
            f"stored as {self.stored} but the postings give {self.recomputed}"
        )


def first_wrong_month(stored: Mapping[Key, Totals], recomputed: Mapping[Key, Totals]) -> WrongMonth | None:
    """The earliest month (then account) where the two disagree; a missing month counts as zeros."""
    zero: Totals = (0, 0, 0, 0)
    for code, month in sorted(set(stored) | set(recomputed), key=lambda key: (key[1], key[0])):
        kept, counted = stored.get((code, month), zero), recomputed.get((code, month), zero)
        if kept != counted:
            return WrongMonth(code, month, kept, counted)
    return None
