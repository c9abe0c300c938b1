"""The personal data in queued jobs: an email job's payload holds its recipient's address, name and message.

A job that succeeds is deleted as it finishes; these remove the rest: a person's emails when they close their
account, and jobs that gave up (and fan-outs' progress) once past the retention period. With separate workers
on PostgreSQL the jobs are procrastinate's: the same is removed there (by the recipient its arguments name,
and by the failure time `task_failures` keeps), except a job a worker is running at that moment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, text
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pledgebank.tasks.models import FanOut, Job, JobFailure, JobStatus
from pledgebank.tasks.pg_queue import STATUS
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


def waiting_in_procrastinate(session: Session, addresses: Callable[[], list[str]]) -> list[dict[str, Any]]:
    """The emails to the addresses that wait in procrastinate or failed there, by the names of our own job
    table's columns (the right of access lists them beside ours); none, and no query, on our own queue."""
    if not on_procrastinate(session):
        return []
    rows = session.execute(
        text(
            "SELECT j.id, j.task_name AS kind, j.args->'payload' AS payload,"
            " j.args->>'recipient_email' AS recipient_email,"
            " (j.args->>'neighbourhood_id')::bigint AS neighbourhood_id, j.status::text AS status,"
            " j.attempts, (j.args->>'max_attempts')::int AS max_attempts, j.scheduled_at AS run_at,"
            " f.error AS last_error, f.failed_at"
            " FROM procrastinate_jobs j LEFT JOIN task_failures f ON f.job_id = j.id"
            " WHERE j.args->>'recipient_email' = ANY(:addresses) ORDER BY j.id"
        ),
        {"addresses": [address.lower() for address in addresses()]},
    ).mappings()
    return [
        {
            **row,
            "payload": json.dumps(row["payload"], separators=(",", ":")),
            "status": STATUS[row["status"]].value,
            "created_at": None,  # procrastinate keeps no time a job was queued
        }
        for row in rows
    ]


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
