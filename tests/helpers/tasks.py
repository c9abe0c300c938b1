"""The task queue as tests see it: the jobs table, the app's worker, and waiting on a bounded deadline."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.tasks.models import Job, JobStatus


def jobs(app, *, status: JobStatus | None = None, kind: str | None = None) -> list[Job]:
    """The jobs in the table, oldest first (optionally only those in one state or of one kind)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        statement = select(Job).order_by(Job.id)
        if status is not None:
            statement = statement.where(Job.status == status)
        if kind is not None:
            statement = statement.where(Job.kind == kind)
        return list(session.scalars(statement))


def job_count(app) -> int:
    """How many jobs wait, run or are dead."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(Job)) or 0


def worker(app):
    """The app's worker (the same one `pledgebank worker` runs)."""
    return app.extensions["pledgebank.tasks"]


def wait_until(condition: Callable[[], bool], *, within: float = 60.0, what: str = "the condition") -> None:
    """Poll condition until it holds; fail after `within` seconds (no fixed sleeps: a short poll)."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {within} s"
        time.sleep(0.05)
