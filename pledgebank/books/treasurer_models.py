"""The treasurer's everyday entries: who gave or was paid and what for, kept beside the sealed transaction.

The ledger seals only codes and amounts; names and descriptions live here, where a mistake is corrected by a
reversal in the ledger rather than by rewriting the chain.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import Fund


class TreasurerEntry(Base):
    """One entry the treasurer recorded; a payment above the threshold waits for a second approver."""

    __tablename__ = "treasurer_entries"
    __table_args__ = (
        UniqueConstraint("book_id", "form_key"),
        CheckConstraint("amount >= 0 AND cash_amount >= 0", name="amounts_not_negative"),
        CheckConstraint("status IN ('posted', 'awaiting_approval')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    # The one-time key the form or API call carried: a second submission of it finds this entry.
    form_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("funds.id"))
    place: Mapped[str] = mapped_column(String(8), default="")
    # For an opening balance, `amount` is the bank share and `cash_amount` the cash held.
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    cash_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    effective_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    donor: Mapped[str] = mapped_column(String(120), default="")
    # Donors are anonymous on public pages unless they agreed to be named.
    donor_public: Mapped[bool] = mapped_column(Boolean, default=False)
    payee: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(20), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="posted")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    # A correction: the transaction it reverses (the reversal itself is `transaction_id`).
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))

    fund: Mapped[Fund | None] = relationship()


# (slug, name): the categories every neighbourhood starts with.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = tuple(chart.default_categories())


class ExpenseCategory(Base):
    """One of a neighbourhood's supplier-payment categories, each an expense account in every fund.

    The slug is the account code's last part and never changes; the name may. A retired category is no
    longer offered, but its accounts and what was posted to them stay in the books.
    """

    __tablename__ = "expense_categories"
    __table_args__ = (UniqueConstraint("neighbourhood_id", "slug"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    slug: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(40))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
