"""The weekly digest for `run-due`: once per ISO week per subscriber, the pledges opened in their area.

A subscriber's week is claimed with one conditional update before anything is sent, so two runs at once, or a
run repeated, send each digest once.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.alerts.models import AlertSubscription
from pledgebank.alerts.services import alert_email, area_name
from pledgebank.books.models import AuditEvent
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.outbox import send_after_commit
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.states import PledgeStatus
from pledgebank.text import _t

OPEN_STATES = (PledgeStatus.OPEN, PledgeStatus.COLLECTING, PledgeStatus.SUCCEEDED)


def week_of(now: datetime, zone: str) -> str:
    """The ISO week of the local date: '2026-W49'."""
    year, week, _ = local_date(now, zone).isocalendar()
    return f"{year}-W{week:02d}"


def _claim(session: Session, subscription_id: int, week: str, now: datetime) -> datetime | None:
    """Claim this week's digest; the moment the last one was made (or a week ago), or None if claimed."""
    previous = session.scalar(
        select(AlertSubscription.digest_at).where(AlertSubscription.id == subscription_id)
    )
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # DML answers with a cursor
        update(AlertSubscription)
        .where(
            AlertSubscription.id == subscription_id,
            or_(AlertSubscription.digest_week.is_(None), AlertSubscription.digest_week != week),
        )
        .values(digest_week=week, digest_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return previous or now - timedelta(days=7)


def new_pledges(
    session: Session, subscription: AlertSubscription, *, since: datetime, until: datetime
) -> list[Pledge]:
    """Pledges opened in the subscription's area after `since` and up to `until`, still open or done: made
    open then, or approved by the committee then (a pledge that waited for approval opens when approved)."""
    area = (
        Pledge.neighbourhood_id == subscription.neighbourhood_id
        if subscription.neighbourhood_id is not None
        else Pledge.neighbourhood_id.in_(
            select(Neighbourhood.id).where(Neighbourhood.postcode_district == subscription.district)
        )
    )
    return list(
        session.scalars(
            select(Pledge)
            .where(
                area,
                Pledge.status.in_(OPEN_STATES),
                or_(
                    and_(Pledge.created_at > since, Pledge.created_at <= until),
                    cast(Pledge.id, String).in_(
                        select(AuditEvent.subject_id).where(
                            AuditEvent.action == "pledge.approved",
                            AuditEvent.subject_type == "pledge",
                            AuditEvent.occurred_at > since,
                            AuditEvent.occurred_at <= until,
                        )
                    ),
                ),
            )
            .order_by(Pledge.created_at, Pledge.id)
        )
    )


def run_due(sessions: sessionmaker[Session], *, now: datetime, zone: str) -> Counter[str]:
    """Send this week's digest to every weekly subscriber who has not had it; count those sent."""
    week = week_of(now, zone)
    done: Counter[str] = Counter()
    with unit_of_work(sessions) as session:
        due = list(
            session.scalars(
                select(AlertSubscription.id).where(
                    AlertSubscription.confirmed_at.is_not(None),
                    AlertSubscription.frequency == "weekly",
                    or_(AlertSubscription.digest_week.is_(None), AlertSubscription.digest_week != week),
                )
            )
        )
    for subscription_id in due:
        with unit_of_work(sessions) as session:
            since = _claim(session, subscription_id, week, now)
            if since is None:
                continue  # another run has it
            subscription = session.get_one(AlertSubscription, subscription_id)
            pledges = new_pledges(session, subscription, since=since, until=now)
            if not pledges:
                continue
            area = area_name(session, subscription)
            send_after_commit(
                session,
                alert_email(
                    subscription,
                    _t("New pledges in %(area)s this week", area=area),
                    "alerts/digest",
                    {"area": area, "pledges": [(p.id, p.title) for p in pledges]},
                ),
            )
            done["alert digests sent"] += 1
    return done
