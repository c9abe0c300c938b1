"""Statements: a trial balance at a date, and the financial year's dates.

The receipts-and-payments account is in pledgebank.exports.receipts_payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerPosting, LedgerTransaction
from pledgebank.exports.reader import AccountInfo, accounts_of
from pledgebank.ledger import chart
from pledgebank.ledger.kinds import YEAR_CLOSED


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """An account and its balance at the date (debits positive)."""

    account: AccountInfo
    balance: int

    @property
    def debit(self) -> int:
        """The balance when it is a debit, else 0."""
        return max(self.balance, 0)

    @property
    def credit(self) -> int:
        """The balance when it is a credit (as a positive number), else 0."""
        return max(-self.balance, 0)


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """Every account's balance at the end of a day; debits equal credits in each currency."""

    on: date
    lines: list[BalanceLine]

    def totals(self) -> dict[str, tuple[int, int]]:
        """Per currency: total debits and total credits."""
        totals: dict[str, tuple[int, int]] = {}
        for line in self.lines:
            debits, credits = totals.get(line.account.currency, (0, 0))
            totals[line.account.currency] = (debits + line.debit, credits + line.credit)
        return totals


def _sums(
    session: Session,
    book: Book,
    *,
    since: date | None = None,
    until: date | None = None,
    movements_only: bool = False,
) -> dict[int, int]:
    """Per account id, the sum of postings dated from `since` through `until` (either may be open).

    With `movements_only`, year-end closing entries are left out: they move a year's result into the funds'
    balances and are neither receipts nor payments.
    """
    t, p = LedgerTransaction, LedgerPosting
    # Both sides name the book, so neither postings nor transactions are read beyond it.
    conditions = [t.book_id == book.id, p.book_id == book.id]
    if movements_only:
        conditions.append(t.kind != YEAR_CLOSED)
    if since is not None:
        conditions.append(t.effective_date >= since)
    if until is not None:
        conditions.append(t.effective_date <= until)
    rows = session.execute(
        select(p.account_id, func.sum(p.amount))
        .join(t, t.id == p.transaction_id)
        .where(*conditions)
        .group_by(p.account_id)
    )
    return {account: int(total) for account, total in rows if total is not None}


def place_totals(accounts: list[AccountInfo], sums: dict[int, int]) -> list[BalanceLine]:
    """Each book-level asset and liability with what it and every fund's share of it hold together."""
    by_code = {a.code: a for a in accounts if a.fund is None}
    totals = {code: 0 for code in by_code}
    for account in accounts:
        place = chart.place_of(account.code)
        if place in totals:
            totals[place] += sums.get(account.id, 0)
    return [BalanceLine(by_code[code], total) for code, total in totals.items()]


def trial_balance(session: Session, book: Book, on: date) -> TrialBalance:
    """Each account's balance from the postings dated on or before `on`."""
    sums = _sums(session, book, until=on)
    return TrialBalance(on, [BalanceLine(a, sums.get(a.id, 0)) for a in accounts_of(session, book)])


def year_starting(year: int, start: str) -> tuple[date, date]:
    """The financial year that starts in `year` on `start` (MM-DD): its first and last days."""
    month, day = (int(part) for part in start.split("-"))
    first = date(year, month, day)
    return first, date(year + 1, month, day) - timedelta(days=1)


def year_of(day: date, start: str) -> int:
    """The calendar year in which the financial year holding `day` starts."""
    first, _last = year_starting(day.year, start)
    return day.year if day >= first else day.year - 1
