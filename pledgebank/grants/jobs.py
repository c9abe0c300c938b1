"""Time-driven grant work for `run-due`: applications deferred to a date go back under review on that date."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.books.audit import record_event
from pledgebank.db import unit_of_work
from pledgebank.grants.models import GrantApplication, GrantDecision
from pledgebank.grants.states import ApplicationAction, ApplicationStatus, next_status


def _due(session: Session, today) -> list[int]:
    latest = (
        select(GrantDecision.application_id, func.max(GrantDecision.id).label("decision_id"))
        .group_by(GrantDecision.application_id)
        .subquery()
    )
    return list(
        session.scalars(
            select(GrantApplication.id)
            .join(latest, latest.c.application_id == GrantApplication.id)
            .join(GrantDecision, GrantDecision.id == latest.c.decision_id)
            .where(
                GrantApplication.status == ApplicationStatus.DEFERRED.value,
                GrantDecision.defer_until.is_not(None),
                GrantDecision.defer_until <= today,
            )
            .order_by(GrantApplication.id)
        )
    )


def run_due(sessions: sessionmaker[Session], *, now: datetime, zone: str) -> Counter[str]:
    """Put back under review every application whose deferral date has come (safe to run twice at once)."""
    today = now.astimezone(ZoneInfo(zone)).date()
    with unit_of_work(sessions) as session:
        ids = _due(session, today)
    done: Counter[str] = Counter()
    for application_id in ids:
        with unit_of_work(sessions) as session:
            # SKIP LOCKED: when another runner (or a person) is changing it, leave it to them.
            application = session.scalar(
                select(GrantApplication)
                .where(GrantApplication.id == application_id)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
            if application is None or application.status != ApplicationStatus.DEFERRED:
                continue
            application.status = next_status(application.status, ApplicationAction.RECONSIDER)
            application.updated_at = now
            record_event(
                session,
                actor_id=None,
                neighbourhood_id=application.neighbourhood_id,
                action="grant.reconsidered",
                subject=("grant_application", application.id),
                now=now,
                before={"status": ApplicationStatus.DEFERRED.value},
                after={"status": application.status},
                reason="The date it was deferred to has come.",
            )
            done["deferred grants back under review"] += 1
    return done
