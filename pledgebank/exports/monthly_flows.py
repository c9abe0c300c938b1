"""Money in and out per fund and month, read from the per-account monthly totals instead of the postings.

The totals keep each account's debits and credits in transactions that move money through the bank, the
cash box or Stripe clearing. Sorting a transaction's other legs into receipts and payments (exports/
cash_flows.py) goes leg by leg, by the leg's account and the sign of its amount, and adds the legs up per
fund: so the same sorting applied to each account's debits and to its credits per month gives the same
figures, reading O(accounts x months) rows however many postings the book holds.

Two cases are left to the postings: book-level receivables, grants payable and the like moved with cash in
the months asked for (the funds they belong to come from `ledger attribute-legacy`'s attribution, read
from the history), and a book holding transactions dated after the last day asked for in its month.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerMonthlyTotal, LedgerTransaction
from pledgebank.exports.cash_flows import PAYMENTS, RECEIPTS, fund_of_leg, general_fund, is_cash, line_of
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import Fund

# Per fund slug, per side (receipts or payments), per month's first day: the amount.
Flows = dict[str, dict[str, dict[date, int]]]


def _after_in_month(session: Session, book: Book, until: date) -> bool:
    """Whether the book holds a transaction dated after `until` in the same month."""
    end = date(until.year + until.month // 12, until.month % 12 + 1, 1)
    t = LedgerTransaction
    found = session.scalar(
        select(t.id).where(t.book_id == book.id, t.effective_date > until, t.effective_date < end).limit(1)
    )
    return found is not None


def monthly_flows(session: Session, book: Book, *, since: date, until: date) -> Flows | None:
    """Receipts and payments per fund per month from `since`'s month through `until`'s, or None when the
    totals cannot stand in for the postings (see the module's note)."""
    if _after_in_month(session, book, until):
        return None
    m, a = LedgerMonthlyTotal, LedgerAccount
    rows = session.execute(
        select(a.code, a.type, Fund.slug, m.month, m.cash_debits, m.cash_credits)
        .join(a, a.id == m.account_id)
        .outerjoin(Fund, Fund.id == a.fund_id)
        .where(
            m.book_id == book.id,
            a.book_id == book.id,
            m.month >= since.replace(day=1),
            m.month <= until,
            (m.cash_debits != 0) | (m.cash_credits != 0),
        )
    ).all()
    if any(code in chart.FUND_HELD and not is_cash(code) for code, *_ in rows):
        return None
    general = general_fund(session, book)
    funds = frozenset(
        session.scalars(select(Fund.slug).where(Fund.neighbourhood_id == book.neighbourhood_id))
    )
    flows: Flows = defaultdict(lambda: {RECEIPTS: defaultdict(int), PAYMENTS: defaultdict(int)})
    for code, kind, fund, month, debits, credits in rows:
        if is_cash(code) or kind == "equity":
            continue  # the cash legs themselves, and transfers between funds or opening balances
        for part in (int(debits), int(credits)):
            side, _key, value = line_of(code, kind, -part)
            if part and side in (RECEIPTS, PAYMENTS):
                flows[fund_of_leg(code, fund, funds, general)][side][month] += value
    return flows
