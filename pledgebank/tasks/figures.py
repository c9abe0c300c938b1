"""The task queue's figures at this moment, for /metrics: jobs by state, and how long the oldest due job has
waited. Read from the database (our jobs table, or procrastinate's with separate workers on PostgreSQL), so
every process shows the same figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from pledgebank.tasks.models import Job, JobStatus
from pledgebank.tasks.pg_queue import STATUS
from pledgebank.tasks.queue import on_procrastinate


def queue_figures(session: Session, *, now: datetime) -> tuple[dict[str, int], float]:
    """Jobs by state (each state, 0 when none) and the seconds the oldest due job has waited (0: none due)."""
    if on_procrastinate(session):
        return _procrastinate_figures(session)
    counts = {status.value: 0 for status in JobStatus}
    for status, count in session.execute(select(Job.status, func.count()).group_by(Job.status)):
        counts[str(getattr(status, "value", status))] = count
    oldest = session.scalar(
        select(func.min(Job.run_at)).where(Job.status == JobStatus.QUEUED, Job.run_at <= now)
    )
    return counts, max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


# procrastinate keeps its times by the database's clock (pg_queue.py): a job with no time of its own is due
# from when it was deferred (its first event).
_PROCRASTINATE_OLDEST = text(
    "SELECT extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at))) FROM procrastinate_jobs j"
    " LEFT JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'"
    " WHERE j.status = 'todo' AND coalesce(j.scheduled_at, e.at) <= now()"
)


def _procrastinate_figures(session: Session) -> tuple[dict[str, int], float]:
    counts = {status.value: 0 for status in JobStatus}
    rows = session.execute(text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status"))
    for status, count in rows:
        if status in STATUS:
            counts[STATUS[status].value] += count
    waited = session.scalar(_PROCRASTINATE_OLDEST)
    return counts, max(0.0, float(waited)) if waited is not None else 0.0
