"""The personal data in queued jobs: an email job's payload holds its recipient's address, name and message.

A job that succeeds is deleted as it finishes; these remove the rest: a person's emails when they close their
account, and jobs that gave up (and fan-outs' progress) once past the retention period. With separate workers
on PostgreSQL the jobs are procrastinate's: the same is removed there (by the recipient its arguments name,
and by the failure time `task_failures` keeps), except a job a worker is running at that moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pledgebank.tasks.models import FanOut, Job, JobFailure, JobStatus
from pledgebank.tasks.queue import on_procrastinate


def _deleted(session: Session, statement: Any) -> int:
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # DML answers with a cursor
        statement.execution_options(synchronize_session=False)
    )
    return result.rowcount


def forget_recipient(session: Session, address: str) -> int:
    """Delete every job that emails the address, waiting, running or dead (its person has gone); how many."""
    gone = _deleted(session, delete(Job).where(Job.recipient_email == address.lower()))
    if on_procrastinate(session):
        gone += _deleted(
            session,
            text(
                "DELETE FROM procrastinate_jobs"
                " WHERE args->>'recipient_email' = :address AND status <> 'doing'"
            ).bindparams(address=address.lower()),
        )
    return gone


def delete_dead_jobs(session: Session, *, before: datetime) -> int:
    """Delete the jobs that gave up before `before`, with their payloads and errors; how many."""
    gone = _deleted(session, delete(Job).where(Job.status == JobStatus.DEAD, Job.failed_at < before))
    if on_procrastinate(session):
        gone += _deleted(
            session,
            text(
                "DELETE FROM procrastinate_jobs WHERE status = 'failed' AND id IN"
                " (SELECT job_id FROM task_failures WHERE failed_at < :before)"
            ).bindparams(before=before),
        )
        _deleted(session, delete(JobFailure).where(JobFailure.failed_at < before))
    return gone


def delete_finished_fan_outs(session: Session, *, before: datetime) -> int:
    """Delete the progress of fan-outs untouched since before `before` (ids and counts only); how many."""
    return _deleted(session, delete(FanOut).where(FanOut.updated_at < before))
