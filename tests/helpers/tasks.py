"""The task queue as tests see it: the jobs (our table's, or procrastinate's on PostgreSQL with separate
workers), the app's worker, and waiting on a bounded deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text

from pledgebank.db import unit_of_work
from pledgebank.tasks import pg_queue
from pledgebank.tasks.models import Job, JobStatus


def on_procrastinate(app) -> bool:
    """True when the app's jobs are procrastinate's."""
    return app.config["TASK_QUEUE"] == "procrastinate"


def jobs(app, *, status: JobStatus | None = None, kind: str | None = None) -> list[Any]:
    """The jobs that wait, run or are dead, oldest first (optionally only those in one state or of one
    kind): our table's rows and, on PostgreSQL, procrastinate's as `QueuedJob`s with the same names (a test
    may queue through an app with separate workers and look through one without)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        statement = select(Job).order_by(Job.id)
        if status is not None:
            statement = statement.where(Job.status == status)
        if kind is not None:
            statement = statement.where(Job.kind == kind)
        found: list[Any] = list(session.scalars(statement))
        if session.get_bind().dialect.name == "postgresql":
            queued = pg_queue.list_jobs(session, status=status, kind=kind)
            found.extend(sorted(queued, key=lambda job: job.id))
        return found


def job_count(app) -> int:
    """How many jobs wait, run or are dead."""
    return len(jobs(app))


def make_due(app) -> None:
    """procrastinate waits by the database's clock, not the app's: bring every waiting job's time forward."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        session.execute(text("UPDATE procrastinate_jobs SET scheduled_at = NULL WHERE status = 'todo'"))


def worker(app):
    """The app's worker (the same one `pledgebank worker` runs)."""
    return app.extensions["pledgebank.tasks"]


def wait_until(condition: Callable[[], bool], *, within: float = 60.0, what: str = "the condition") -> None:
    """Poll condition until it holds; fail after `within` seconds (no fixed sleeps: a short poll)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {within} s"
        time.sleep(0.05)
