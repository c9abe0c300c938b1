"""Queueing jobs in the caller's transaction: the job commits with the write that asked for it, or not at all.

Flask-free. A unit of work calls `enqueue(session, ...)`; nothing runs until the transaction commits, and a
rollback takes the job with it. With a key, a job is queued once however often it is asked for while one
with that key waits or runs (a scheduler that runs twice, two schedulers at once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pledgebank.clock import Clock
from pledgebank.db import after_commit
from pledgebank.tasks import payloads
from pledgebank.tasks.models import ACTIVE_KEY, Job, JobStatus

log = logging.getLogger(__name__)
DEFAULT_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """What a session's jobs need: the clock, and (in development and tests) a drain to run after commit."""

    clock: Clock
    # Set when jobs run in this process right after each commit that queued some (no worker process).
    run_after_commit: Callable[[], None] | None = None
    max_attempts: int = DEFAULT_ATTEMPTS


def settings_of(session: Session) -> QueueSettings:
    """The queue settings the session factory was configured with."""
    found = session.info.get("tasks")
    if not isinstance(found, QueueSettings):
        raise RuntimeError("this session has no task queue configured")
    return found


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    key: str | None = None,
    run_at: datetime | None = None,
    neighbourhood_id: int | None = None,
    max_attempts: int | None = None,
) -> None:
    """Queue a job in the session's transaction (once per active key, when a key is given)."""
    settings = settings_of(session)
    now = settings.clock.now()
    values = {
        "kind": kind,
        "payload": payloads.dumps(payload),
        "key": key,
        "neighbourhood_id": neighbourhood_id,
        "status": JobStatus.QUEUED,
        "attempts": 0,
        "max_attempts": max_attempts or settings.max_attempts,
        "run_at": run_at or now,
        "created_at": now,
    }
    if key is None:
        session.execute(insert(Job).values(**values))
    else:
        session.execute(_insert_once(session, values))
    drain = settings.run_after_commit
    if drain is not None and drain not in session.info.get("after_commit", []):
        after_commit(session, drain)


def _insert_once(session: Session, values: dict[str, Any]) -> Any:
    # Written out, not bound: PostgreSQL matches the partial unique index only by a literal predicate (a
    # bound one fails once the driver prepares the statement).
    where = text(ACTIVE_KEY)
    dialect = session.get_bind().dialect.name
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        maker(Job)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[Job.__table__.c.key], index_where=where)
    )
