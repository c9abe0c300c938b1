"""Jobs on procrastinate (PostgreSQL with separate workers), through our own session.

Flask-free. Jobs are deferred in the business transaction, on its connection: they commit with the write
that asked for them, or not at all. Plain jobs go through procrastinate's own `procrastinate_defer_jobs_v1`;
a keyed job is one INSERT that skips a key already waiting (`ON CONFLICT ... DO NOTHING` on procrastinate's
partial unique index), because the function raises on a taken queueing lock, which would undo the business
write. A keyed job also takes its key as procrastinate's lock, so two jobs for the same work never run
at once.

procrastinate keeps no error text: `task_failures` holds each job's last error for the failed-jobs page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from pledgebank.tasks import payloads
from pledgebank.tasks.models import JobFailure, JobStatus
from pledgebank.tasks.worker import JobAlreadyQueued

QUEUE = "default"
STATUS = {"todo": JobStatus.QUEUED, "doing": JobStatus.RUNNING, "failed": JobStatus.DEAD}

_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY("
    "SELECT ROW(:queue, t, 0, l, l, a::jsonb, s)::procrastinate_job_to_defer_v1"
    " FROM unnest(CAST(:tasks AS varchar[]), CAST(:keys AS text[]), CAST(:args AS text[]),"
    " CAST(:at AS timestamptz[])) AS j(t, l, a, s)))"
)
# Written out, not bound: PostgreSQL matches the partial unique index only by a literal predicate.
_DEFER_ONCE = text(
    "INSERT INTO procrastinate_jobs (task_name, lock, queueing_lock, args, scheduled_at, queue_name) "
    "SELECT t, l, l, a::jsonb, s, :queue FROM unnest(CAST(:tasks AS varchar[]), CAST(:keys AS text[]), "
    "CAST(:args AS text[]), CAST(:at AS timestamptz[])) AS j(t, l, a, s) "
    "ON CONFLICT (queueing_lock) WHERE status = 'todo' DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class QueuedJob:
    """A waiting, running or failed job, as the failed-jobs page, the CLI and the tests see it."""

    id: int
    kind: str
    status: JobStatus
    attempts: int  # the attempts made, the running one included
    key: str | None
    neighbourhood_id: int | None
    last_error: str | None
    failed_at: datetime | None
    run_at: datetime | None
    payload: str = "{}"  # as our own table keeps it: compact JSON text, to be read with payloads.loads
    recipient_email: str | None = None  # the address an email job writes to


def job_args(row: dict[str, Any]) -> str:
    """A queued row's procrastinate task arguments, as JSON text: its payload (already JSON), its
    neighbourhood, the attempts it may have and the address of the person it writes to."""
    return json.dumps(
        {
            "payload": json.loads(row["payload"]),
            "neighbourhood_id": row["neighbourhood_id"],
            "max_attempts": row["max_attempts"],
            # Whose personal data the payload holds: erasure and retention find the job by it (personal.py).
            "recipient_email": row.get("recipient_email"),
        },
        separators=(",", ":"),
    )


def revive(payload: Any) -> dict[str, Any]:
    """A payload back from procrastinate's JSON arguments, its dates and times as they went in."""
    return payloads.loads(json.dumps(payload)) if payload else {}


def defer(session: Session, rows: list[dict[str, Any]], *, now: datetime) -> None:
    """Defer the transaction's queued rows to procrastinate, in that transaction (keyed ones once a key)."""
    plain = [row for row in rows if row["key"] is None]
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["key"] is not None:
            first.setdefault(row["key"], row)
    keyed = list(first.values())
    for statement, batch in ((_DEFER, plain), (_DEFER_ONCE, keyed)):
        if batch:
            session.execute(statement, _arrays(batch, now))


def _arrays(rows: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    wall = datetime.now(UTC)
    return {
        "queue": QUEUE,
        "tasks": [row["kind"] for row in rows],
        "keys": [row["key"] for row in rows],
        "args": [job_args(row) for row in rows],
        # A later run_at keeps its distance from the app's clock; procrastinate waits by the database's.
        "at": [wall + (row["run_at"] - now) if row["run_at"] > now else None for row in rows],
    }


def list_jobs(
    session: Session,
    *,
    status: JobStatus | None = None,
    kind: str | None = None,
    neighbourhood_id: int | None = None,
    limit: int = 1000,
) -> list[QueuedJob]:
    """Jobs that wait, run or failed, oldest first (failed ones: newest failure first)."""
    wanted = [name for name, ours in STATUS.items() if status in (None, ours)]
    rows = session.execute(
        text(
            "SELECT j.id, j.task_name, j.status::text AS status, j.attempts, j.queueing_lock,"
            " (j.args->>'neighbourhood_id')::bigint AS place, f.error, f.failed_at, j.scheduled_at,"
            " j.args->'payload' AS payload, j.args->>'recipient_email' AS recipient"
            " FROM procrastinate_jobs j LEFT JOIN task_failures f ON f.job_id = j.id"
            " WHERE j.status::text = ANY(:wanted)"
            " AND (CAST(:kind AS varchar) IS NULL OR j.task_name = :kind)"
            " AND (CAST(:place AS bigint) IS NULL OR (j.args->>'neighbourhood_id')::bigint = :place)"
            " ORDER BY CASE WHEN j.status = 'failed' THEN f.failed_at END DESC NULLS LAST, j.id LIMIT :limit"
        ),
        {"wanted": wanted, "kind": kind, "place": neighbourhood_id, "limit": limit},
    )
    return [
        QueuedJob(
            row.id,
            row.task_name,
            STATUS[row.status],
            row.attempts + (1 if row.status == "doing" else 0),
            row.queueing_lock,
            row.place,
            row.error,
            row.failed_at.replace(tzinfo=UTC) if row.failed_at else None,  # stored as naive UTC
            row.scheduled_at,
            json.dumps(row.payload, separators=(",", ":")),
            row.recipient,
        )
        for row in rows
    ]


def neighbourhood_of(session: Session, job_id: int) -> int | None:
    """The neighbourhood a job was queued under, if any."""
    found = session.scalar(
        text("SELECT (args->>'neighbourhood_id')::bigint FROM procrastinate_jobs WHERE id = :id"),
        {"id": job_id},
    )
    return int(found) if found is not None else None


def retry_by_hand(session: Session, job_id: int) -> bool:
    """Queue a failed job again, for one more attempt; False if there is no such failed job."""
    found = session.execute(
        text(
            "SELECT status::text AS status, queueing_lock FROM procrastinate_jobs WHERE id = :id FOR UPDATE"
        ),
        {"id": job_id},
    ).first()
    if found is None or found.status != "failed":
        return False
    if found.queueing_lock is not None and session.scalar(
        text("SELECT 1 FROM procrastinate_jobs WHERE queueing_lock = :key AND status = 'todo'"),
        {"key": found.queueing_lock},
    ):
        raise JobAlreadyQueued("The same work is already queued again.")
    session.execute(text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"), {"id": job_id})
    return True


def record_failure(session: Session, job_id: int, error: str, *, now: datetime) -> None:
    """Keep a job's latest error (one row a job)."""
    statement = insert(JobFailure).values(job_id=job_id, error=error, failed_at=now)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[JobFailure.job_id],
            set_={"error": statement.excluded.error, "failed_at": statement.excluded.failed_at},
        )
    )


def forget_failure(session: Session, job_id: int) -> None:
    """A job that succeeded in the end has no error to show."""
    session.execute(text("DELETE FROM task_failures WHERE job_id = :id"), {"id": job_id})
