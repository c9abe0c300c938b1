"""Micro-grants: rounds with criteria, applications with budget lines, declarations, reviews and scores,
decisions, payments and grantees' reports.

Reading an awarded grant (for 360Giving and other exports), everything is on `GrantApplication` and its round:

- title: `GrantApplication.title`; description: `GrantApplication.summary`
- amount awarded: `GrantApplication.awarded_amount` (minor units, after any later reduction; None until
  awarded), currency: `GrantApplication.currency` (ISO 4217, the neighbourhood's)
- award date: `GrantApplication.awarded_at` (aware UTC datetime of the award decision, kept when the award
  is later reduced; `award_date` gives the date)
- recipient: `GrantApplication.group_name` for a group (None for an individual, who is never named
  publicly: `recipient_name` gives the group's name or "Individual recipient"); `is_individual` says which
- fund: `GrantApplication.round.fund` (`Fund.slug`, `Fund.name`); round: `GrantApplication.round`
  (`GrantRound.title`, `opens_at`, `closes_at`)
- awarded grants are those whose `status` is in `states.WITH_AWARD` (`queries.awarded_applications` lists them
  with round and fund loaded); `GrantApplication.id` is stable (use it in ids such as "<prefix>-grant-<id>")

Every decision (`GrantDecision.transaction_id`), payment (`GrantPayment.transaction_id`) and return of
unspent money (`GrantReport.return_transaction_id`) names the ledger transaction it posted.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.grants.states import ApplicationStatus, PaymentStatus
from pledgebank.neighbourhoods.models import Fund

INDIVIDUAL_RECIPIENT = "Individual recipient"


class GrantRound(Base):
    """A call for applications: a fund, a budget, a maximum award, dates, criteria and a quorum rule."""

    __tablename__ = "grant_rounds"
    __table_args__ = (
        CheckConstraint("budget > 0", name="budget_positive"),
        CheckConstraint("max_award > 0 AND max_award <= budget", name="max_award_in_budget"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("quorum_minimum >= 2", name="quorum_at_least_two"),
        CheckConstraint("project_months BETWEEN 1 AND 60", name="project_months_range"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    eligibility: Mapped[str] = mapped_column(Text, default="")
    budget: Mapped[int] = mapped_column(BigInteger)
    max_award: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "majority" of the members without a conflict, "all" of them, or a "fixed" number; never below minimum.
    quorum_rule: Mapped[str] = mapped_column(String(10), default="majority")
    quorum_minimum: Mapped[int] = mapped_column(default=2)
    # How long a funded project is planned to run from its award (published as its planned dates).
    project_months: Mapped[int] = mapped_column(SmallInteger, default=12, server_default="12")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    fund: Mapped[Fund] = relationship()
    criteria: Mapped[list[GrantCriterion]] = relationship(
        back_populates="round", order_by="GrantCriterion.position", cascade="all, delete-orphan"
    )

    def is_open(self, now: datetime) -> bool:
        """Taking applications now."""
        return self.opens_at <= now < self.closes_at


class GrantCriterion(Base):
    """One thing applications are scored on (0 to 5), with its weight in the total."""

    __tablename__ = "grant_criteria"
    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        CheckConstraint("weight BETWEEN 1 AND 10", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"))
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(120))
    weight: Mapped[int] = mapped_column()

    round: Mapped[GrantRound] = relationship(back_populates="criteria")


class GrantApplication(Base):
    """A resident's (or a group's) request for a grant, and where it has got to."""

    __tablename__ = "grant_applications"
    __table_args__ = (
        CheckConstraint("amount_requested > 0", name="amount_requested_positive"),
        CheckConstraint(
            "awarded_amount IS NULL OR (awarded_amount > 0 AND awarded_amount <= amount_requested)",
            name="awarded_within_request",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    amount_requested: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    group_name: Mapped[str | None] = mapped_column(String(120))
    # A group's registered numbers and postcode, when it gives them (never asked of an individual): they
    # identify the recipient organisation in published grants data (registers.org_id).
    charity_number: Mapped[str | None] = mapped_column(String(8))
    company_number: Mapped[str | None] = mapped_column(String(8))
    postcode: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[ApplicationStatus] = mapped_column(
        status_type(ApplicationStatus, 16), default=ApplicationStatus.DRAFT, index=True
    )
    # The member the chair named to record the decision (the chair decides when nobody is named).
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    awarded_amount: Mapped[int | None] = mapped_column(BigInteger)
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    round: Mapped[GrantRound] = relationship()
    budget_lines: Mapped[list[GrantBudgetLine]] = relationship(
        back_populates="application", order_by="GrantBudgetLine.position", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[GrantDecision]] = relationship(
        back_populates="application", order_by="GrantDecision.id"
    )

    @property
    def is_individual(self) -> bool:
        """An individual applying for themselves (never named on public pages)."""
        return not self.group_name

    @property
    def recipient_name(self) -> str:
        """The name shown publicly: the group's, or "Individual recipient"."""
        return self.group_name or INDIVIDUAL_RECIPIENT

    @property
    def award_date(self) -> date | None:
        """The day of the award decision (UTC)."""
        return self.awarded_at.date() if self.awarded_at else None


class GrantBudgetLine(Base):
    """One line of an application's budget; the lines add up to the amount requested."""

    __tablename__ = "grant_budget_lines"
    __table_args__ = (
        UniqueConstraint("application_id", "position"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"))
    position: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)

    application: Mapped[GrantApplication] = relationship(back_populates="budget_lines")


class GrantDeclaration(Base):
    """A committee member's declared interest in one application: none, or a conflict with the reason."""

    __tablename__ = "grant_declarations"
    __table_args__ = (
        UniqueConstraint("application_id", "member_id"),
        CheckConstraint("interest IN ('none', 'conflict')", name="interest_known"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    interest: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GrantReview(Base):
    """A committee member's scores on an application and the outcome they recommend."""

    __tablename__ = "grant_reviews"
    __table_args__ = (UniqueConstraint("application_id", "member_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recommendation: Mapped[str] = mapped_column(String(12))  # award, part_award, defer or reject
    recommended_amount: Mapped[int | None] = mapped_column(BigInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    scores: Mapped[list[GrantScore]] = relationship(back_populates="review", cascade="all, delete-orphan")


class GrantScore(Base):
    """One criterion's score, 0 to 5, within a review."""

    __tablename__ = "grant_scores"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 5", name="score_range"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("grant_reviews.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("grant_criteria.id"), primary_key=True)
    score: Mapped[int] = mapped_column(SmallInteger)

    review: Mapped[GrantReview] = relationship(back_populates="scores")


class GrantDecision(Base):
    """A decision on an application, with the quorum it was taken with and the transaction it posted."""

    __tablename__ = "grant_decisions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(12))  # award, part_award, defer, reject, reduce, reconsider
    amount: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    defer_until: Mapped[date | None] = mapped_column(Date)
    defer_to_next_round: Mapped[bool] = mapped_column(default=False)
    quorum_needed: Mapped[int] = mapped_column(default=0)
    reviews_counted: Mapped[int] = mapped_column(default=0)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    reversal_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))

    application: Mapped[GrantApplication] = relationship(back_populates="decisions")


class GrantPayment(Base):
    """The treasurer's payment of an award; above the threshold it waits for a second approver."""

    __tablename__ = "grant_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))  # bank_transfer, cheque or cash
    reference: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[PaymentStatus] = mapped_column(status_type(PaymentStatus, 20), default=PaymentStatus.PAID)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))


class GrantReport(Base):
    """The grantee's report: what was spent, what happened, and how much it helped (1 to 5)."""

    __tablename__ = "grant_reports"
    __table_args__ = (
        CheckConstraint("amount_spent >= 0", name="amount_spent_not_negative"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), unique=True)
    amount_spent: Mapped[int] = mapped_column(BigInteger)
    unspent: Mapped[int] = mapped_column(BigInteger)
    what_happened: Mapped[str] = mapped_column(Text)
    rating: Mapped[int] = mapped_column(SmallInteger)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
