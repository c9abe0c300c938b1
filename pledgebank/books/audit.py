"""The append-only audit-event log of non-money actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
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
    session: Session,
    *,
    neighbourhood_id: int,
    limit: int = 200,
    before_id: int | None = None,
    person_id: int | None = None,
    actions: Sequence[str] | None = None,
) -> list[AuditEvent]:
    """The neighbourhood's audit events, newest first, a page at a time.

    With a person, only the events they did or that were done to them; with actions, only those actions.
    """
    query = select(AuditEvent).where(AuditEvent.neighbourhood_id == neighbourhood_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if person_id is not None:
        as_subject = and_(AuditEvent.subject_type == "user", AuditEvent.subject_id == str(person_id))
        query = query.where(or_(AuditEvent.actor_id == person_id, as_subject))
    if actions is not None:
        query = query.where(AuditEvent.action.in_(actions))
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))


def people_in_log(session: Session, *, neighbourhood_id: int) -> list[tuple[int, str]]:
    """Everyone the neighbourhood's audit log names as actor or subject, as (id, name), by name."""
    events = select(AuditEvent).where(AuditEvent.neighbourhood_id == neighbourhood_id).subquery()
    actors = select(events.c.actor_id).where(events.c.actor_id.is_not(None))
    subjects = select(User.id).join(
        events, and_(events.c.subject_type == "user", events.c.subject_id == cast(User.id, String))
    )
    rows = session.execute(
        select(User.id, User.display_name)
        .where(or_(User.id.in_(actors), User.id.in_(subjects)))
        .order_by(User.display_name, User.id)
    )
    return [(row.id, row.display_name) for row in rows]
