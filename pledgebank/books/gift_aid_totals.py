"""The Gift Aid a neighbourhood has claimed from HMRC and received, from its books alone: totals only, so the
open books can show them without naming a donor."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.ledger import chart, kinds


@dataclass(frozen=True, slots=True)
class GiftAidTotals:
    """Gift Aid claimed from HMRC and received from it, over the book's life, in minor units."""

    claimed: int
    received: int

    @property
    def awaited(self) -> int:
        """Claimed, not yet received."""
        return self.claimed - self.received


def gift_aid_totals(session: Session, book: Book) -> GiftAidTotals:
    """The book's Gift Aid totals: what its claims raised on HMRC, and what HMRC has paid."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    by_kind = dict(
        session.execute(
            select(t.kind, func.sum(p.amount))
            .join(p, p.transaction_id == t.id)
            .join(a, a.id == p.account_id)
            .where(
                t.book_id == book.id,
                p.book_id == book.id,
                t.kind.in_(kinds.GIFT_AID_KINDS),
                a.code.like(f"{chart.RECEIVABLES}:%"),
            )
            .group_by(t.kind)
        ).all()
    )
    claimed = int(by_kind.get(kinds.GIFT_AID_CLAIMED) or 0)
    received = -int(by_kind.get(kinds.GIFT_AID_RECEIVED) or 0)
    return GiftAidTotals(claimed, received)
