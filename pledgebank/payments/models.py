"""Stripe customers, recorded payment attempts, and webhook events already handled."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime, status_type


class AttemptStatus(StrEnum):
    """An attempt is started before the call to Stripe and finished after its outcome is stored.

    A pending attempt is recorded for a call to make once the transaction recording it has committed
    (deleting the Stripe customer of someone whose account was closed); run-due makes it if nobody did.
    """

    PENDING = "pending"
    STARTED = "started"
    FINISHED = "finished"


class PaymentCustomer(Base):
    """The Stripe customer that holds a user's saved cards."""

    __tablename__ = "payment_customers"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PaymentAttempt(Base):
    """A call to Stripe that creates or moves money, recorded before it is made (key = idempotency key).

    A started attempt whose outcome never arrived (the process died) is finished later by run-due, which
    finds the Stripe object by the key in its metadata instead of calling again.
    """

    __tablename__ = "payment_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    operation: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[AttemptStatus] = mapped_column(status_type(AttemptStatus, 12))
    stripe_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StripeEvent(Base):
    """A webhook event, stored once under its id in the same unit of work as its effects."""

    __tablename__ = "stripe_events"

    # Stripe's ids and event types are up to 255 characters.
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(255))
    object_id: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    effect: Mapped[str] = mapped_column(Text, default="")


class RejectedWebhook(Base):
    """A correctly signed webhook body we could not read as an event, kept (cut short) for inspection."""

    __tablename__ = "rejected_webhooks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    # The first KEPT_BYTES of the body, as received (bytes, so any content can be stored on any backend).
    body: Mapped[bytes] = mapped_column(LargeBinary)
