"""Queued jobs: one row per job, written in the transaction of the business write that asks for it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.state_tables import Transitions


class JobStatus(StrEnum):
    """Where a job is: waiting (or waiting to be retried), claimed by a worker, or given up on."""

    QUEUED = "queued"
    RUNNING = "running"
    DEAD = "dead"


class JobAction(StrEnum):
    """What happens to a job."""

    CLAIM = "claim"
    RETRY_LATER = "retry_later"
    GIVE_UP = "give_up"
    RETRY_BY_HAND = "retry_by_hand"


JOB_STATES: Transitions[JobStatus, JobAction] = Transitions(
    {
        (JobStatus.QUEUED, JobAction.CLAIM): JobStatus.RUNNING,
        # A worker that stopped mid-job left it running; once its lease is over another worker claims it.
        (JobStatus.RUNNING, JobAction.CLAIM): JobStatus.RUNNING,
        (JobStatus.RUNNING, JobAction.RETRY_LATER): JobStatus.QUEUED,
        (JobStatus.RUNNING, JobAction.GIVE_UP): JobStatus.DEAD,
        (JobStatus.DEAD, JobAction.RETRY_BY_HAND): JobStatus.QUEUED,
    },
    thing="a job",
)
ACTIVE = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
# The partial unique index's predicate: a key is unique among waiting and running jobs.
ACTIVE_KEY = "key IS NOT NULL AND status IN ('queued', 'running')"


class Job(Base):
    """A job: its kind (the handler that runs it), its JSON payload, and its attempts.

    A job that succeeds is deleted in the transaction that finishes it; one that fails waits with backoff,
    and after its last attempt stays here as dead, with its error, until someone retries it. `key`, when set,
    is unique among waiting and running jobs, so asking twice for the same work queues it once.
    """

    __tablename__ = "task_jobs"
    __table_args__ = (
        Index("ix_task_jobs_due", "status", "run_at"),
        Index(
            "uq_task_jobs_active_key",
            "key",
            unique=True,
            sqlite_where=text(ACTIVE_KEY),
            postgresql_where=text(ACTIVE_KEY),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[str] = mapped_column(Text)
    key: Mapped[str | None] = mapped_column(String(200))
    # The address of the person an email job writes to: their right of access shows it, their erasure
    # deletes it, and it is what the retention job would otherwise have to read out of the payload.
    recipient_email: Mapped[str | None] = mapped_column(String(320), index=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[JobStatus] = mapped_column(status_type(JobStatus, 12), default=JobStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Schedule(Base):
    """A periodic job's next due time: the scheduler that moves it forward queues that run, and only it."""

    __tablename__ = "task_schedules"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JobFailure(Base):
    """The last error of a procrastinate job (PostgreSQL with separate workers), which procrastinate does not
    keep: the failed-jobs page shows it beside the job. No foreign key: procrastinate's table is its own."""

    __tablename__ = "task_failures"

    job_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FanOut(Base):
    """How far a fan-out job has got: the items whose work is committed, so a retried job starts after them.

    Kept once finished (a job run again after finishing must find it done); the retention job removes rows
    left untouched for the dead-job period.
    """

    __tablename__ = "task_fan_outs"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
