"""Who asked to hear about new pledges where, and which alerts they have been sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime


class AlertSubscription(Base):
    """An address that asked for alerts about one area: a neighbourhood or a postcode district.

    Unconfirmed until its owner clicks the emailed link; `key` is the one-click unsubscribe secret.
    """

    __tablename__ = "alert_subscriptions"
    __table_args__ = (
        UniqueConstraint("email", "scope"),
        CheckConstraint("(neighbourhood_id IS NULL) <> (district IS NULL)", name="one_area"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    district: Mapped[str | None] = mapped_column(String(8))
    # "n:<neighbourhood id>" or "d:<district>": one subscription per address and area.
    scope: Mapped[str] = mapped_column(String(40))
    frequency: Mapped[str] = mapped_column(String(10))  # "immediate" or "weekly"
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The ISO week ("2026-W49") of the last weekly digest: one digest per week, however often run-due runs.
    digest_week: Mapped[str | None] = mapped_column(String(10))
    # When the last digest was made: the next one lists the pledges opened since.
    digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertDelivery(Base):
    """One immediate alert sent: a subscription told about a pledge, once."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "pledge_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"))
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
