"""What the books say moved through the bank: each transaction's net effect on the book's bank account.

The bank account is the book-level `assets:bank` and every fund's share of it (`assets:bank:<fund>`); a
transaction that only moves money between funds' shares (a transfer, the legacy attribution) nets to nothing
and is not a bank movement, since the bank never sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.ledger import chart


@dataclass(frozen=True, slots=True)
class Movement:
    """One transaction's net on the bank account: positive is money into the bank."""

    transaction_id: int
    sequence: int
    effective_date: date
    kind: str
    amount: int
    source: dict[str, object]


def is_bank():
    """The condition picking out the bank account: the book-level one and every fund's share."""
    code = LedgerAccount.code
    return or_(code == chart.BANK, code.startswith(chart.BANK + ":"))


def movements(
    session: Session,
    book_id: int,
    *,
    since: date | None = None,
    through: date | None = None,
    ids: list[int] | None = None,
) -> list[Movement]:
    """The book's bank movements, by date then sequence; limited to dates or to transaction ids if asked."""
    t, p = LedgerTransaction, LedgerPosting
    net = (
        select(p.transaction_id.label("id"), func.sum(p.amount).label("amount"))
        .join(LedgerAccount, LedgerAccount.id == p.account_id)
        .where(p.book_id == book_id, is_bank())
        .group_by(p.transaction_id)
        .having(func.sum(p.amount) != 0)
    )
    if ids is not None:
        net = net.where(p.transaction_id.in_(ids))
    moved = net.subquery()
    query = (
        select(t.id, t.sequence, t.effective_date, t.kind, t.source, moved.c.amount)
        .join(moved, moved.c.id == t.id)
        .where(t.book_id == book_id)
        .order_by(t.effective_date, t.sequence)
    )
    if since is not None:
        query = query.where(t.effective_date >= since)
    if through is not None:
        query = query.where(t.effective_date <= through)
    return [
        Movement(row[0], row[1], row[2], row[3], int(row[5]), dict(row[4] or {}))
        for row in session.execute(query)
    ]


def balance_on(session: Session, book_id: int, day: date) -> int:
    """The book's bank balance at the end of a day: every bank posting dated on or before it."""
    t, p = LedgerTransaction, LedgerPosting
    total = session.scalar(
        select(func.sum(p.amount))
        .join(t, (p.transaction_id == t.id) & (p.book_id == t.book_id))
        .join(LedgerAccount, LedgerAccount.id == p.account_id)
        .where(t.book_id == book_id, t.effective_date <= day, is_bank())
    )
    return int(total or 0)
