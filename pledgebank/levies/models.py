"""Levies, the households that pay them, each period's charges, approvals and hardship requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.levies.states import ChargeStatus, LevyStatus


class Levy(Base):
    """A recurring charge a neighbourhood sets on its households, flat or banded, paid into a fund."""

    __tablename__ = "levies"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
        CheckConstraint("threshold IS NULL OR (voluntary AND threshold > 0)", name="threshold_voluntary"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(String(8))  # "flat" or "banded"
    amount: Mapped[int] = mapped_column(BigInteger)  # per household, or band D's for a banded levy
    currency: Mapped[str] = mapped_column(String(3))
    period: Mapped[str] = mapped_column(String(10))  # "monthly", "quarterly" or "annual"
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    voluntary: Mapped[bool] = mapped_column()
    threshold: Mapped[int | None] = mapped_column()  # households needed before a voluntary levy starts
    prorate: Mapped[bool] = mapped_column()  # a household joining mid-period pays for its days only
    retry_days: Mapped[str] = mapped_column(String(40))  # "1,3,7": days after falling due
    status: Mapped[LevyStatus] = mapped_column(
        status_type(LevyStatus, 10), default=LevyStatus.DRAFT, index=True
    )
    activated_on: Mapped[date | None] = mapped_column(Date)  # charges run from here (or starts_on)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    approvals: Mapped[list[LevyApproval]] = relationship(back_populates="levy", order_by="LevyApproval.id")


class LevyApproval(Base):
    """One committee member's vote to activate a levy, with the roles they held when they gave it."""

    __tablename__ = "levy_approvals"
    __table_args__ = (UniqueConstraint("levy_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    levy_id: Mapped[int] = mapped_column(ForeignKey("levies.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    roles: Mapped[str] = mapped_column(String(60))  # comma-separated
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)

    levy: Mapped[Levy] = relationship(back_populates="approvals")


class Household(Base):
    """A dwelling in a neighbourhood: one liability per levy, however many of its residents join.

    The card saved for the household's charges belongs to the Stripe customer of `payer_id`.
    """

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("neighbourhood_id", "address_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    address: Mapped[str] = mapped_column(String(200))
    address_key: Mapped[str] = mapped_column(String(200))
    band: Mapped[str] = mapped_column(String(1))
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Bumped whenever a new card is started: part of the Stripe keys of saving a card.
    card_round: Mapped[int] = mapped_column(default=1)
    setup_intent_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    setup_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # whose customer it is for
    # The levy whose page the card in progress is being saved from: it is authorised for that levy only.
    setup_levy_id: Mapped[int | None] = mapped_column(BigInteger)
    payment_method_id: Mapped[str | None] = mapped_column(String(64))
    card_brand: Mapped[str | None] = mapped_column(String(20))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    card_decline_code: Mapped[str | None] = mapped_column(String(60))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HouseholdResident(Base):
    """A member of the neighbourhood living in a household (one household each per neighbourhood)."""

    __tablename__ = "household_residents"
    __table_args__ = (UniqueConstraint("neighbourhood_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LevyHousehold(Base):
    """A household liable for a levy from joined_on, until left_on (voluntary levies only)."""

    __tablename__ = "levy_households"
    __table_args__ = (
        UniqueConstraint("levy_id", "household_id"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joining"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    levy_id: Mapped[int] = mapped_column(ForeignKey("levies.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LevyCharge(Base):
    """One household's charge for one period: a receivable until paid, waived, or left in arrears.

    Collection makes attempt after attempt (1 on the due date, then on the retry days); `attempts` counts
    those already decided, so attempt attempts + 1 is the next, and its number is in its Stripe key.
    """

    __tablename__ = "levy_charges"
    __table_args__ = (
        UniqueConstraint("levy_id", "household_id", "period_start"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("waived_amount >= 0 AND waived_amount <= amount", name="waived_within_amount"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    levy_id: Mapped[int] = mapped_column(ForeignKey("levies.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    full_amount: Mapped[int] = mapped_column(BigInteger)  # a whole period's, before proration
    amount: Mapped[int] = mapped_column(BigInteger)
    waived_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Recorded in cash or by bank transfer towards the charge before it was paid in full.
    part_paid: Mapped[int] = mapped_column(BigInteger, default=0, server_default=text("0"))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[ChargeStatus] = mapped_column(
        status_type(ChargeStatus, 10), default=ChargeStatus.DUE, index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    paused: Mapped[bool] = mapped_column(default=False)  # a hardship request waits for the committee
    payment_intent_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    decline_code: Mapped[str | None] = mapped_column(String(60))
    paid_via: Mapped[str | None] = mapped_column(String(8))  # "card", "cash" or "bank"
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    arrears_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    levy: Mapped[Levy] = relationship()
    household: Mapped[Household] = relationship()

    @property
    def amount_due(self) -> int:
        """What is left to pay after any amount waived and any part payments."""
        return self.amount - self.waived_amount - self.part_paid

    @property
    def collected(self) -> int:
        """What has been paid towards the charge: the part payments, and the rest once it is paid."""
        return self.part_paid + (self.amount_due if self.status == ChargeStatus.PAID else 0)


class HardshipRequest(Base):
    """A resident's request to waive or reduce a charge, and the committee's decision on it."""

    __tablename__ = "hardship_requests"
    __table_args__ = (
        CheckConstraint("requested_amount IS NULL OR requested_amount > 0", name="requested_positive"),
        CheckConstraint("approved_amount IS NULL OR approved_amount > 0", name="approved_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("levy_charges.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    requested_amount: Mapped[int | None] = mapped_column(BigInteger)  # None: the whole amount due
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, approved, refused
    approved_amount: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    charge: Mapped[LevyCharge] = relationship()


class LevyCardConsent(Base):
    """A resident's permission for the household's card to pay one levy's charges, in the words they were
    shown. Charges of a levy are only ever taken from a card with a consent for that levy, until it ends
    (another card, leaving the neighbourhood)."""

    __tablename__ = "levy_card_consents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    levy_id: Mapped[int] = mapped_column(ForeignKey("levies.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    payment_method_id: Mapped[str] = mapped_column(String(64))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    wording: Mapped[str] = mapped_column(Text)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_because: Mapped[str | None] = mapped_column(String(40))


class ChargeConfirmation(Base):
    """A resident's confirmation of a listed set of charges to take now. Its key is made from the charges
    and amounts listed, so the same list confirmed twice (two presses, two tabs) takes the money once."""

    __tablename__ = "levy_charge_confirmations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    charge_ids: Mapped[str] = mapped_column(Text)  # comma-separated, as listed
    total: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
