"""Periodic jobs: whichever scheduler moves a schedule's due time forward queues that run, and no other.

Every worker may run the scheduler; two at once still queue each run once, because moving the due time is one
conditional UPDATE (the row lock on PostgreSQL, the write lock on SQLite, decide who moved it) in the same
transaction as the job it queues, and the job's key is unique while it waits or runs.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.clock import Clock
from pledgebank.db import unit_of_work
from pledgebank.tasks.models import Schedule
from pledgebank.tasks.queue import enqueue


def tick(sessions: sessionmaker[Session], clock: Clock, *, name: str, kind: str, every: timedelta) -> bool:
    """Queue `kind` if schedule `name` is due (then due again `every` later); True if this call queued it."""
    with unit_of_work(sessions) as session:
        now = clock.now()
        maker = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(maker(Schedule).values(name=name, due_at=now).on_conflict_do_nothing())
        moved = session.execute(
            update(Schedule)
            .where(Schedule.name == name, Schedule.due_at <= now)
            .values(due_at=now + every)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            return False
        enqueue(session, kind, {"at": now}, key=f"schedule:{name}", max_attempts=1)
        return True
