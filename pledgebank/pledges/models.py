"""Threshold pledges, the people who sign them, sponsors' match offers and updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.pledges.codes import new_short_code
from pledgebank.pledges.states import PledgeKind, PledgeStatus, SignupStatus


class Pledge(Base):
    """'I'll pay X towards this (or give my time to it), but only if N others do too by the deadline.'

    A pledge of time (kind "time") has no amount (0), no fund and no money target: nothing of it is ever
    in the ledger.
    """

    __tablename__ = "pledges"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'money' AND amount > 0 AND fund_id IS NOT NULL) OR (kind = 'time' AND amount = 0 "
            "AND fund_id IS NULL AND target_amount IS NULL AND target_pledgers IS NOT NULL)",
            name="fits_kind",
        ),
        CheckConstraint("target_pledgers IS NOT NULL OR target_amount IS NOT NULL", name="has_target"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default=PledgeKind.MONEY.value)  # "money" or "time"
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("funds.id"))  # None for a pledge of time
    # The fund was opened for this pledge, restricted to what it says; its words follow the pledge's until
    # the wording freezes. False when the committee chose an existing fund.
    own_fund: Mapped[bool] = mapped_column(default=False)
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(120))
    # Finishes "<creator> will <action> ..."; empty reads "<creator> will put £10 towards <title>".
    action: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The short link /p/<short_code>: lower-case letters only, so never a pledge number.
    short_code: Mapped[str | None] = mapped_column(
        String(12), unique=True, index=True, default=new_short_code
    )
    description: Mapped[str] = mapped_column(Text)
    # A pledge of time: what happens next (where and when to meet), sent to every signer on success.
    next_steps: Mapped[str] = mapped_column(Text, default="")
    amount_kind: Mapped[str] = mapped_column(String(8))  # "fixed" or "minimum"
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    target_pledgers: Mapped[int | None] = mapped_column()
    target_amount: Mapped[int | None] = mapped_column(BigInteger)
    cap: Mapped[int | None] = mapped_column()
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    allow_cash: Mapped[bool] = mapped_column()
    collection_window_hours: Mapped[int] = mapped_column()
    status: Mapped[PledgeStatus] = mapped_column(
        status_type(PledgeStatus, 12), default=PledgeStatus.OPEN, index=True
    )
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
    def of_time(self) -> bool:
        """True for a pledge of time (no money at all)."""
        return self.kind == PledgeKind.TIME


class PledgeSignup(Base):
    """One person's pledge: an amount, a way to pay, and how far the payment has got (for a pledge of time:
    method "time", amount 0, status "signed")."""

    __tablename__ = "pledge_signups"
    __table_args__ = (
        UniqueConstraint("pledge_id", "user_id"),
        CheckConstraint(
            "(method = 'time' AND amount = 0) OR (method <> 'time' AND amount > 0)", name="amount_fits_method"
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(8))  # "card", "cash" or "time"
    status: Mapped[SignupStatus] = mapped_column(status_type(SignupStatus, 16), index=True)
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


class PledgeMilestone(Base):
    """A moment in a pledge's life (opened, target met, collection ended, succeeded, failed, cancelled) with
    the figures as they stood then: once the pledges are released, the signups alone no longer tell who had
    counted towards the target."""

    __tablename__ = "pledge_milestones"
    __table_args__ = (UniqueConstraint("pledge_id", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pledgers: Mapped[int] = mapped_column()  # people whose pledge counted towards the target then
    amount: Mapped[int] = mapped_column(BigInteger)  # the money those pledges came to
    pledges: Mapped[int] = mapped_column()  # every live pledge then, counting or not
    pledged: Mapped[int] = mapped_column(BigInteger)  # the money of every live pledge
