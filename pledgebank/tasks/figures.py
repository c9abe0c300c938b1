"""The task queue's figures at this moment, for /metrics: jobs by state, and how long the oldest due job has
waited. Read from the jobs table, so every process shows the same figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.tasks.models import Job, JobStatus


def queue_figures(session: Session, *, now: datetime) -> tuple[dict[str, int], float]:
    """Jobs by state (each state, 0 when none) and the seconds the oldest due job has waited (0: none due)."""
    counts = {status.value: 0 for status in JobStatus}
    for status, count in session.execute(select(Job.status, func.count()).group_by(Job.status)):
        counts[str(getattr(status, "value", status))] = count
    oldest = session.scalar(
        select(func.min(Job.run_at)).where(Job.status == JobStatus.QUEUED, Job.run_at <= now)
    )
    return counts, max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
