"""Gift Aid's records: a charity's HMRC reference, donors' declarations and their cancellations, the benefit a
pledge gives its pledgers, and claims with a line per gift claimed.

Declarations and cancellations are append-only: a declaration keeps the exact words the donor saw (and their
SHA-256), and is never changed; a cancellation is a dated record of its own. HMRC may audit them for six years
after the last claim they support, so they are kept that long (see `pledgebank.giftaid.retention`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime

# The lengths HMRC's Gift Aid schedule allows.
TITLE_MAX, NAME_MAX, HOUSE_MAX, POSTCODE_MAX = 4, 35, 40, 8


class GiftAidCharity(Base):
    """A neighbourhood registered with HMRC as a charity, and its HMRC charity reference."""

    __tablename__ = "giftaid_charities"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), unique=True)
    hmrc_reference: Mapped[str] = mapped_column(String(12))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GiftAidDeclaration(Base):
    """A donor's Gift Aid declaration to one neighbourhood's charity, with the words they saw."""

    __tablename__ = "giftaid_declarations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    gift_ref: Mapped[str | None] = mapped_column(String(40))  # the one gift a "this gift" declaration covers
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    first_name: Mapped[str] = mapped_column(String(NAME_MAX))
    last_name: Mapped[str] = mapped_column(String(NAME_MAX))
    house: Mapped[str] = mapped_column(String(HOUSE_MAX))
    postcode: Mapped[str] = mapped_column(String(POSTCODE_MAX))
    wording: Mapped[str] = mapped_column(Text)
    wording_sha256: Mapped[str] = mapped_column(String(64))
    made_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    cancellation: Mapped[GiftAidCancellation | None] = relationship(back_populates="declaration")


class GiftAidCancellation(Base):
    """The day a declaration was cancelled, from which it covers no more gifts."""

    __tablename__ = "giftaid_cancellations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("giftaid_declarations.id"), unique=True)
    cancelled_on: Mapped[date] = mapped_column(Date)
    cancelled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    declaration: Mapped[GiftAidDeclaration] = relationship(back_populates="cancellation")


class GiftAidBenefit(Base):
    """What a pledge gives each pledger in return (a ticket, a plaque), valued by the committee."""

    __tablename__ = "giftaid_benefits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), unique=True)
    value: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GiftAidClaim(Base):
    """A claim to HMRC for a period: submitted when made (the receivable is booked), paid when HMRC pays."""

    __tablename__ = "giftaid_claims"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_in_order"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # "submitted" or "paid"
    currency: Mapped[str] = mapped_column(String(3))
    gifts_total: Mapped[int] = mapped_column(BigInteger)
    gift_aid: Mapped[int] = mapped_column(BigInteger)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The claim's entry in the books, set in the same unit of work once the claim has its id.
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))

    lines: Mapped[list[GiftAidClaimLine]] = relationship(order_by="GiftAidClaimLine.id")


class GiftAidClaimLine(Base):
    """One gift in a claim. A gift is claimed once, ever: its reference is unique across every claim."""

    __tablename__ = "giftaid_claim_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("giftaid_claims.id"), index=True)
    gift_ref: Mapped[str] = mapped_column(String(40), unique=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("giftaid_declarations.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    gift_date: Mapped[date] = mapped_column(Date)
