"""Transfers between funds: one officer proposes, a second approves and it posts; the pair includes the chair.

The ledger seals only codes and amounts; the reason, and for restricted money the basis on which it may move
(its purpose met, or its donors' agreement) with a note of the evidence, are kept here beside it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime
from pledgebank.neighbourhoods.models import Fund

PROPOSED = "proposed"
POSTED = "posted"
DECLINED = "declined"
CANCELLED = "cancelled"
STATUSES = (PROPOSED, POSTED, DECLINED, CANCELLED)
PURPOSE_MET = "purpose_met"
DONORS_AGREED = "donors_agreed"
BASES = (PURPOSE_MET, DONORS_AGREED)

_STATUS_VALUES = "', '".join(STATUSES)
_BASIS_VALUES = "', '".join(("", *BASES))


class FundTransfer(Base):
    """One proposed movement of money from one fund to another, and what became of it."""

    __tablename__ = "fund_transfers"
    __table_args__ = (
        UniqueConstraint("book_id", "form_key"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("from_fund_id <> to_fund_id", name="two_funds"),
        CheckConstraint(f"status IN ('{_STATUS_VALUES}')", name="status"),
        CheckConstraint(f"basis IN ('{_BASIS_VALUES}')", name="basis"),
        CheckConstraint("place IN ('bank', 'cash')", name="place"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    # The one-time key the form or API call carried: a second submission of it finds this transfer.
    form_key: Mapped[str] = mapped_column(String(64))
    from_fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    to_fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    place: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    # For money out of a restricted fund: why it may move, and the evidence (which donors, which minute).
    basis: Mapped[str] = mapped_column(String(20), default="")
    basis_note: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=PROPOSED)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    posted_on: Mapped[date | None] = mapped_column(Date)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))

    from_fund: Mapped[Fund] = relationship(foreign_keys=[from_fund_id])
    to_fund: Mapped[Fund] = relationship(foreign_keys=[to_fund_id])
