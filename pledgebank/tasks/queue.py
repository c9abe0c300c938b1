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

from sqlalchemy import Table, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pledgebank.clock import Clock
from pledgebank.tasks import payloads, pg_queue
from pledgebank.tasks.models import ACTIVE_KEY, Job, JobStatus

log = logging.getLogger(__name__)
DEFAULT_ATTEMPTS = 5
JOBS: Table = Job.__table__  # type: ignore[assignment]
PENDING = "tasks_pending"  # session.info: the jobs this transaction queues, written just before it commits
DRAIN, DRAIN_NOW = "tasks_drain", "tasks_drain_now"  # in process: run them once the transaction is over


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """What a session's jobs need: the clock, and (in development and tests) a drain to run after commit."""

    clock: Clock
    # Set when jobs run in this process right after each commit that queued some (no worker process).
    run_after_commit: Callable[[], None] | None = None
    max_attempts: int = DEFAULT_ATTEMPTS
    # "table": our own task_jobs; "procrastinate": procrastinate's jobs (PostgreSQL, separate workers).
    backend: str = "table"


def settings_of(session: Session) -> QueueSettings:
    """The queue settings the session factory was configured with."""
    found = session.info.get("tasks")
    if not isinstance(found, QueueSettings):
        raise RuntimeError("this session has no task queue configured")
    return found


def on_procrastinate(session: Session) -> bool:
    """True when this session's jobs are procrastinate's (PostgreSQL with separate workers)."""
    return "tasks" in session.info and settings_of(session).backend == "procrastinate"


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    key: str | None = None,
    run_at: datetime | None = None,
    neighbourhood_id: int | None = None,
    max_attempts: int | None = None,
    recipient_email: str | None = None,
) -> None:
    """Queue a job in the session's transaction (once per active key, when a key is given).

    The rows are written just before the transaction commits, all in one statement (a request that tells
    2,000 pledgers pays one round trip, not 2,000); a payload that cannot be stored is refused here. A job
    whose payload holds a person's details names their address in `recipient_email` (see `personal`).
    """
    settings = settings_of(session)
    now = settings.clock.now()
    session.info.setdefault(PENDING, []).append(
        {
            "kind": kind,
            "payload": payloads.dumps(payload),
            "key": key,
            "neighbourhood_id": neighbourhood_id,
            "recipient_email": recipient_email.lower() if recipient_email else None,
            "status": JobStatus.QUEUED.value,
            "attempts": 0,
            "max_attempts": max_attempts or settings.max_attempts,
            "run_at": run_at or now,
            "created_at": now,
        }
    )
    if settings.run_after_commit is not None:
        session.info[DRAIN] = settings.run_after_commit


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the jobs wait for the transaction round it
    rows = session.info.pop(PENDING, None)
    if not rows:
        return
    settings = settings_of(session)
    if settings.backend == "procrastinate":
        pg_queue.defer(session, rows, now=settings.clock.now())
        return
    plain = [row for row in rows if row["key"] is None]
    keyed = [row for row in rows if row["key"] is not None]
    if plain:
        session.execute(insert(JOBS), plain)
    if keyed:
        session.execute(_insert_once(session, keyed))


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous: Any) -> None:
    if not previous.nested:
        session.info.pop(PENDING, None)
        session.info.pop(DRAIN, None)


@event.listens_for(Session, "after_commit")
def _drain_when_released(session: Session) -> None:
    if session.in_nested_transaction():
        return
    drain = session.info.pop(DRAIN, None)
    if drain is not None:
        session.info[DRAIN_NOW] = drain


@event.listens_for(Session, "after_transaction_end")
def _drain(session: Session, transaction: Any) -> None:
    # After the commit's connection went back to the pool: the jobs run on a connection of their own, so a
    # thread never holds two at once.
    if transaction.parent is None:
        drain = session.info.pop(DRAIN_NOW, None)
        if drain is not None:
            try:
                drain()
            except Exception:
                log.exception("running queued jobs after commit failed")  # they stay queued


def _insert_once(session: Session, rows: list[dict[str, Any]]) -> Any:
    # Written out, not bound: PostgreSQL matches the partial unique index only by a literal predicate (a
    # bound one fails once the driver prepares the statement).
    where = text(ACTIVE_KEY)
    dialect = session.get_bind().dialect.name
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return maker(JOBS).values(rows).on_conflict_do_nothing(index_elements=[JOBS.c.key], index_where=where)
