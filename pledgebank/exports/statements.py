"""Statements: a trial balance at a date, and receipts and payments per fund for a financial year.

The receipts-and-payments account is the form UK charities below the audit threshold may file: receipts and
payments by kind, one column per fund, each fund's money at the start and end of the year, and a statement
of assets and liabilities at the year end. The book is kept on a cash basis for income, so receipts are the
income accounts' credits; payments are grants awarded and payment-processing fees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerPosting, LedgerTransaction
from pledgebank.exports.reader import AccountInfo, accounts_of
from pledgebank.ledger import chart
from pledgebank.ledger.chart import INCOME_SOURCES
from pledgebank.ledger.kinds import YEAR_CLOSED
from pledgebank.neighbourhoods.models import Fund

LABELS = {
    "pledges": "Pledges",
    "levies": "Levies",
    "sponsorship": "Sponsorship and match funding",
    "donations": "Donations",
    "grants": "Grants awarded",
    "fees": "Payment processing fees",
    "interest": "Bank interest",
    "other": "Other payments",
}
EXPENSE_ORDER = ("grants", "fees")
FUND_RESULT = ("income", "expense", "equity")


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
    conditions = [t.book_id == book.id]
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


@dataclass(slots=True)
class Row:
    """One line of receipts or payments: a label and an amount per fund."""

    key: str
    label: str
    amounts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """The line across every fund."""
        return sum(self.amounts.values())


@dataclass(slots=True)
class ReceiptsAndPayments:
    """The receipts-and-payments account of one financial year."""

    start: date
    end: date
    currency: str
    funds: list[tuple[str, str]]
    receipts: list[Row]
    payments: list[Row]
    opening: dict[str, int]
    closing: dict[str, int]
    assets: list[BalanceLine]
    liabilities: list[BalanceLine]

    def total(self, rows: list[Row], fund: str | None = None) -> int:
        """The sum of some rows, for one fund or every fund."""
        return sum(row.amounts.get(fund, 0) if fund else row.total for row in rows)

    def net(self, fund: str | None = None) -> int:
        """Receipts less payments, for one fund or every fund."""
        return self.total(self.receipts, fund) - self.total(self.payments, fund)


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("-", " ").capitalize())


def _rows(accounts: list[AccountInfo], sums: dict[int, int], kind: str, order: tuple[str, ...]) -> list[Row]:
    rows: dict[str, Row] = {}
    sign = -1 if kind == "income" else 1
    for account in accounts:
        if account.type != kind or account.fund is None:
            continue
        key = account.code.rsplit(":", 1)[-1]
        row = rows.setdefault(key, Row(key, _label(key)))
        row.amounts[account.fund] = row.amounts.get(account.fund, 0) + sign * sums.get(account.id, 0)
    # The treasurer's categories (interest, repairs, hall hire...) are listed only in a year that used them.
    used = [row for row in rows.values() if row.key in order or any(row.amounts.values())]
    ranked = sorted(used, key=lambda row: (order.index(row.key) if row.key in order else len(order), row.key))
    return ranked


def receipts_and_payments(session: Session, book: Book, *, start: date, end: date) -> ReceiptsAndPayments:
    """Receipts and payments per fund between two dates, with each fund's money before and after."""
    accounts = list(accounts_of(session, book))
    during = _sums(session, book, since=start, until=end, movements_only=True)
    before = _sums(session, book, until=start - timedelta(days=1))
    after = _sums(session, book, until=end)
    funds = [
        (slug, name)
        for slug, name in session.execute(
            select(Fund.slug, Fund.name)
            .where(Fund.neighbourhood_id == book.neighbourhood_id)
            .order_by(Fund.is_general.desc(), Fund.name)
        )
    ]

    def held(sums: dict[int, int]) -> dict[str, int]:
        # A fund's money is its income less its expenses plus its fund balance: minus the signed sum of its
        # accounts, so a year-end close (which moves money between them) leaves it unchanged.
        totals = {slug: 0 for slug, _name in funds}
        for account in accounts:
            # A fund's shares of the assets and liabilities mirror these; counting both would give zero.
            if account.fund is not None and account.type in FUND_RESULT:
                totals[account.fund] = totals.get(account.fund, 0) - sums.get(account.id, 0)
        return totals

    book_level = place_totals(accounts, after)
    return ReceiptsAndPayments(
        start=start,
        end=end,
        currency=book.currency,
        funds=funds,
        receipts=_rows(accounts, during, "income", INCOME_SOURCES),
        payments=_rows(accounts, during, "expense", EXPENSE_ORDER),
        opening=held(before),
        closing=held(after),
        assets=[line for line in book_level if line.account.type == "asset"],
        liabilities=[line for line in book_level if line.account.type == "liability"],
    )
