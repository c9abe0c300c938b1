"""The retention job for `run-due`: once a day, remove what is past its retention period and write the counts
(never who) to the audit log.

What goes: accounts never confirmed that hold nothing else, grant applications not funded or withdrawn,
refused webhook bodies, sign-out records, revoked API tokens, queued work that gave up (an unsent email's
address, name and message). Financial records stay; the people they name
are pseudonymised once the records are past keeping (see `pledgebank.privacy.financial`), and so are the
addresses of households nobody lives in any more (see `pledgebank.privacy.households`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, select, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.accounts.models import ApiToken, SignedOutSession, User
from pledgebank.accounts.sessions import forget_old_sign_outs
from pledgebank.alerts.services import delete_unconfirmed
from pledgebank.books.audit import record_event
from pledgebank.books.models import AuditEvent
from pledgebank.clock import local_date
from pledgebank.db import Base, unit_of_work
from pledgebank.payments.models import RejectedWebhook
from pledgebank.privacy.applications import delete_declined_applications
from pledgebank.privacy.financial import Pseudonymiser, pseudonymise_past_keeping
from pledgebank.privacy.households import forget_household_addresses
from pledgebank.privacy.retention import RetentionPolicy
from pledgebank.tasks.personal import delete_dead_jobs, delete_finished_fan_outs

ACTION = "retention.enforced"
# The PostgreSQL advisory lock that makes runs of the job at the same moment take turns (any fixed number).
_LOCK_KEY = 190_019
# Rows that belong to an unconfirmed account and go with it; anything else naming the account keeps it.
_OWNED_BY_ACCOUNT = {SignedOutSession.__tablename__, ApiToken.__tablename__}


def _references_to_users():
    """Every column of another table that names a user (from the models, so new tables are included)."""
    import pledgebank.models  # noqa: F401 - every model registered, so no reference is missed

    users = User.__table__.c.id
    for table in Base.metadata.sorted_tables:
        if table.name in _OWNED_BY_ACCOUNT:
            continue
        for key in table.foreign_keys:
            if key.column is users:
                yield key.parent


def delete_unverified_accounts(session: Session, *, before: datetime) -> int:
    """Delete accounts created before `before`, never confirmed and named nowhere else; return how many."""
    untouched = [~exists().where(column == User.id) for column in _references_to_users()]
    # Locked, so an account confirmed (or joined to something) at this moment is either kept or gone whole.
    ids = list(
        session.scalars(
            select(User.id)
            .where(User.email_verified_at.is_(None), User.created_at < before, and_(*untouched))
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return 0
    for model in (SignedOutSession, ApiToken):
        session.execute(
            delete(model).where(model.user_id.in_(ids)).execution_options(synchronize_session=False)
        )
    session.execute(delete(User).where(User.id.in_(ids)).execution_options(synchronize_session=False))
    return len(ids)


def _delete_older(session: Session, column, before: datetime) -> int:
    table = column.class_
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # DML answers with a cursor
        delete(table).where(column < before).execution_options(synchronize_session=False)
    )
    return result.rowcount


def enforce_retention(
    session: Session,
    *,
    policy: RetentionPolicy,
    now: datetime,
    zone: str,
    pseudonymiser: Pseudonymiser | None = None,
) -> Counter[str]:
    """Remove everything past its retention period at `now`; return the counts per kind."""
    done: Counter[str] = Counter()
    done["unverified accounts deleted"] = delete_unverified_accounts(
        session, before=now - policy.period("unverified_accounts")
    )
    done["declined grant applications deleted"] = delete_declined_applications(
        session, before=now - policy.period("declined_applications")
    )
    done["refused webhook bodies deleted"] = _delete_older(
        session, RejectedWebhook.received_at, now - policy.period("webhook_payloads")
    )
    done["sign-out records deleted"] = forget_old_sign_outs(session, before=now - policy.period("sign_outs"))
    done["revoked API tokens deleted"] = _delete_older(
        session, ApiToken.revoked_at, now - policy.period("revoked_tokens")
    )
    done["unconfirmed alert sign-ups deleted"] = delete_unconfirmed(session, now=now)
    dead_jobs = now - policy.period("dead_jobs")  # a fan-out's progress is kept as long as a failed job
    done["failed jobs deleted"] = delete_dead_jobs(session, before=dead_jobs)
    done["fan-out records deleted"] = delete_finished_fan_outs(session, before=dead_jobs)
    cutoff = policy.financial_cutoff(local_date(now, zone))
    due, pseudonymised = pseudonymise_past_keeping(
        session,
        cutoff=cutoff,
        zone=zone,
        now=now,
        pseudonymiser=pseudonymiser,
    )
    done["people past financial keeping"] = due
    done["people pseudonymised on financial records"] = pseudonymised
    done["household addresses replaced"] = forget_household_addresses(session, cutoff=cutoff, zone=zone)
    return done


def _ran_today(session: Session, day: str) -> bool:
    return bool(
        session.scalar(select(exists().where(AuditEvent.action == ACTION, AuditEvent.subject_id == day)))
    )


def run_due(
    sessions: sessionmaker[Session],
    *,
    policy: RetentionPolicy,
    now: datetime,
    zone: str,
    pseudonymiser: Pseudonymiser | None = None,
) -> Counter[str]:
    """Enforce retention once per local day, writing the run's counts to the audit log."""
    day = local_date(now, zone).isoformat()
    with unit_of_work(sessions) as session:
        if session.get_bind().dialect.name == "postgresql":
            # Held to the commit: a second runner waits, then sees today's entry and stops.
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        if _ran_today(session, day):
            return Counter()
        done = enforce_retention(session, policy=policy, now=now, zone=zone, pseudonymiser=pseudonymiser)
        record_event(
            session,
            actor_id=None,
            neighbourhood_id=None,
            action=ACTION,
            subject=("retention", day),
            now=now,
            after={kind: done[kind] for kind in sorted(done)},
        )
    return Counter({f"retention: {kind}": count for kind, count in done.items() if count})
