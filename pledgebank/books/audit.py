"""The append-only audit-event log of non-money actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.models import AuditEvent


def record_event(
    session: Session,
    *,
    actor_id: int | None,
    neighbourhood_id: int | None,
    action: str,
    subject: tuple[str, int | str],
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit event; it can never be changed afterwards (the database refuses)."""
    subject_type, subject_id = subject
    event = AuditEvent(
        neighbourhood_id=neighbourhood_id,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before,
        after=after,
        reason=reason,
        occurred_at=now,
    )
    session.add(event)
    return event


def list_events(
    session: Session, *, neighbourhood_id: int, limit: int = 200, before_id: int | None = None
) -> list[AuditEvent]:
    """The neighbourhood's audit events, newest first, a page at a time."""
    query = select(AuditEvent).where(AuditEvent.neighbourhood_id == neighbourhood_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))
