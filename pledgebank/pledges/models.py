"""Threshold pledges, the people who sign them, sponsors' match offers and updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime
from pledgebank.pledges.states import PledgeStatus, SignupStatus


class Pledge(Base):
    """'I'll pay X towards this, but only if N others do too by the deadline.'"""

    __tablename__ = "pledges"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("target_pledgers IS NOT NULL OR target_amount IS NOT NULL", name="has_target"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    # The fund was opened for this pledge, restricted to what it says; its words follow the pledge's until
    # the wording freezes. False when the committee chose an existing fund.
    own_fund: Mapped[bool] = mapped_column(default=False)
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    amount_kind: Mapped[str] = mapped_column(String(8))  # "fixed" or "minimum"
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    target_pledgers: Mapped[int | None] = mapped_column()
    target_amount: Mapped[int | None] = mapped_column(BigInteger)
    cap: Mapped[int | None] = mapped_column()
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    allow_cash: Mapped[bool] = mapped_column()
    collection_window_hours: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default=PledgeStatus.OPEN.value, index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    wording_frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collection_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    signups: Mapped[list[PledgeSignup]] = relationship(back_populates="pledge", order_by="PledgeSignup.id")
    offers: Mapped[list[MatchOffer]] = relationship(back_populates="pledge", order_by="MatchOffer.id")
    updates: Mapped[list[PledgeUpdate]] = relationship(
        back_populates="pledge", order_by="PledgeUpdate.id.desc()"
    )

    @property
    def state(self) -> PledgeStatus:
        """The status as an enum."""
        return PledgeStatus(self.status)


class PledgeSignup(Base):
    """One person's pledge: an amount, a way to pay, and how far the payment has got."""

    __tablename__ = "pledge_signups"
    __table_args__ = (
        UniqueConstraint("pledge_id", "user_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(8))  # "card" or "cash"
    status: Mapped[str] = mapped_column(String(16), index=True)
    # Bumped whenever the pledger starts again (re-pledging, another card): part of every Stripe key.
    round: Mapped[int] = mapped_column(default=1)
    setup_intent_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    payment_method_id: Mapped[str | None] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    payment_intent_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    decline_code: Mapped[str | None] = mapped_column(String(60))
    cash_into: Mapped[str | None] = mapped_column(String(40))
    cash_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # How the signer appears in the pledge's public list: "hidden" (counted only), "name" or "neighbour".
    shown_as: Mapped[str] = mapped_column(String(10), default="hidden", server_default="hidden")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    pledge: Mapped[Pledge] = relationship(back_populates="signups")

    @property
    def state(self) -> SignupStatus:
        """The status as an enum."""
        return SignupStatus(self.status)


class MatchOffer(Base):
    """A sponsor's promise to add money in a ratio, up to a cap, if the pledge succeeds."""

    __tablename__ = "match_offers"
    __table_args__ = (
        CheckConstraint("ratio_sponsor > 0 AND ratio_pledged > 0", name="ratio_positive"),
        CheckConstraint("cap > 0", name="cap_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    sponsor_name: Mapped[str] = mapped_column(String(120))
    ratio_sponsor: Mapped[int] = mapped_column()  # the sponsor gives ratio_sponsor ...
    ratio_pledged: Mapped[int] = mapped_column()  # ... for every ratio_pledged pledged
    cap: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default="offered")  # offered, owed, received, void
    owed_amount: Mapped[int | None] = mapped_column(BigInteger)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    pledge: Mapped[Pledge] = relationship(back_populates="offers")


class PledgeUpdate(Base):
    """News from the creator or committee, emailed to pledgers and shown on the pledge page."""

    __tablename__ = "pledge_updates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    pledge: Mapped[Pledge] = relationship(back_populates="updates")
