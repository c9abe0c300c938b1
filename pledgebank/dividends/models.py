"""Community dividends: bodies (a council, a fire service, a housing association, a business), their
agreements with neighbourhoods, each party's signature, the evidence of the outcome and its reviews.

An agreement's terms never change once drafted: an amendment is a new row (`previous_id`, `version`). Every
money movement names its ledger transaction (`earned_transaction_id`, `received_transaction_id`), each with
the source `{"dividend_agreement": id}`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.dividends.states import AgreementStatus
from pledgebank.dividends.terms import Direction, Terms, TermsKind, Tier
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.text import _t

BODY_KINDS: dict[str, str] = {
    "council": _t("Council"),
    "fire_service": _t("Fire and rescue service"),
    "housing_association": _t("Housing association"),
    "business": _t("Business"),
    "public_body": _t("Another public body"),
}


class DividendBody(Base):
    """A body that pays for outcomes; it needs no role in any neighbourhood."""

    __tablename__ = "dividend_bodies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DividendAgreement(Base):
    """One version of an agreement: outcome, baseline, target, deadline, payment terms, fund and people."""

    __tablename__ = "dividend_agreements"
    __table_args__ = (
        CheckConstraint("cap > 0", name="cap_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("signatory_email <> ''", name="signatory_named"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("dividend_bodies.id"), index=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("dividend_agreements.id"), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[AgreementStatus] = mapped_column(
        status_type(AgreementStatus, 20), default=AgreementStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(120))
    outcome_name: Mapped[str] = mapped_column(String(120))
    outcome_unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(4))
    outcome_source: Mapped[str] = mapped_column(String(10), default="figures")
    # For a pulse outcome: the core measure (its key) whose share agreeing is the outcome, in whole percent.
    outcome_measure: Mapped[str] = mapped_column(String(24), default="", server_default="")
    baseline_value: Mapped[int] = mapped_column(BigInteger)
    baseline_source: Mapped[str] = mapped_column(Text)
    baseline_period: Mapped[str] = mapped_column(String(60))
    target_value: Mapped[int] = mapped_column(BigInteger)
    deadline: Mapped[date] = mapped_column(Date)
    evidence_required: Mapped[str] = mapped_column(Text)
    terms_kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    floor_value: Mapped[int | None] = mapped_column(BigInteger)
    cap: Mapped[int] = mapped_column(BigInteger)
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    currency: Mapped[str] = mapped_column(String(3))
    signatory_name: Mapped[str] = mapped_column(String(120))
    signatory_email: Mapped[str] = mapped_column(String(254))
    verifier_name: Mapped[str] = mapped_column(String(120))
    verifier_email: Mapped[str] = mapped_column(String(254))
    terms_hash: Mapped[str] = mapped_column(String(64))
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome_value: Mapped[int | None] = mapped_column(BigInteger)
    earned_amount: Mapped[int | None] = mapped_column(BigInteger)
    earned_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    received_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_reference: Mapped[str] = mapped_column(String(60), default="")

    body: Mapped[DividendBody] = relationship()
    fund: Mapped[Fund] = relationship()
    neighbourhood: Mapped[Neighbourhood] = relationship()
    signatures: Mapped[list[DividendSignature]] = relationship(order_by="DividendSignature.id")
    evidence: Mapped[list[DividendEvidence]] = relationship(order_by="DividendEvidence.id")
    reviews: Mapped[list[DividendReview]] = relationship(order_by="DividendReview.id")

    @property
    def terms(self) -> Terms:
        """The payment terms, for the pure calculation."""
        return Terms(
            kind=TermsKind(self.terms_kind),
            direction=Direction(self.direction),
            baseline=self.baseline_value,
            target=self.target_value,
            cap=self.cap,
            amount=self.amount,
            floor=self.floor_value,
            tiers=tuple(Tier(int(reached), int(amount)) for reached, amount in self.tiers or []),
        )

    @property
    def latest_value(self) -> int | None:
        """The outcome as the latest period's figure says (None before any evidence)."""
        return self.evidence[-1].value if self.evidence else None


class DividendSignature(Base):
    """A party's signature of the exact terms (by their hash); one per party, and one per person."""

    __tablename__ = "dividend_signatures"
    __table_args__ = (
        UniqueConstraint("agreement_id", "party"),
        UniqueConstraint("agreement_id", "signer_email"),
        CheckConstraint("party IN ('body', 'neighbourhood')", name="party"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("dividend_agreements.id"), index=True)
    party: Mapped[str] = mapped_column(String(16))
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    terms_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DividendEvidence(Base):
    """The neighbourhood's figure for one period, with its notes."""

    __tablename__ = "dividend_evidence"
    __table_args__ = (UniqueConstraint("agreement_id", "period"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("dividend_agreements.id"), index=True)
    period: Mapped[str] = mapped_column(String(60))
    value: Mapped[int] = mapped_column(BigInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DividendReview(Base):
    """The verifier's verification or dispute (with reasons), or the committee's answer to a dispute."""

    __tablename__ = "dividend_reviews"
    __table_args__ = (CheckConstraint("decision IN ('verified', 'disputed', 'answered')", name="decision"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("dividend_agreements.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str] = mapped_column(Text, default="")
    by_name: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
