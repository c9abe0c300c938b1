"""The failed jobs of a neighbourhood, for its treasurer: what each was, its error, and putting it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.errors import NotFound
from pledgebank.policy import Action, require
from pledgebank.tasks import pg_queue
from pledgebank.tasks.models import Job, JobStatus
from pledgebank.tasks.queue import on_procrastinate
from pledgebank.tasks.worker import retry_by_hand

WHAT = {
    "email": "Sending an email",
    "run-due": "The due work",
    "pledge-card": "A pledger's card payment",
    "levy-card": "A household's card payment",
    "sms": "Sending a text message",
    "pledge-tell": "Emailing every pledger of a pledge",
}


@dataclass(frozen=True, slots=True)
class FailedJob:
    """One failed job as the page shows it."""

    id: int
    what: str
    attempts: int
    error: str
    failed_at: datetime | None


def failed_jobs(session: Session, actor_id: int | None, neighbourhood_id: int) -> list[FailedJob]:
    """The neighbourhood's failed jobs, newest first (its treasurer only)."""
    require(session, actor_id, neighbourhood_id, Action.RECORD_PAYMENT)
    if on_procrastinate(session):
        found = pg_queue.list_jobs(
            session, status=JobStatus.DEAD, neighbourhood_id=neighbourhood_id, limit=200
        )
        return [
            FailedJob(job.id, WHAT.get(job.kind, job.kind), job.attempts, job.last_error or "", job.failed_at)
            for job in found
        ]
    jobs = session.scalars(
        select(Job)
        .where(Job.neighbourhood_id == neighbourhood_id, Job.status == JobStatus.DEAD)
        .order_by(Job.failed_at.desc(), Job.id.desc())
        .limit(200)
    )
    return [
        FailedJob(job.id, WHAT.get(job.kind, job.kind), job.attempts, job.last_error or "", job.failed_at)
        for job in jobs
    ]


def retry_failed(
    session: Session, actor_id: int | None, neighbourhood_id: int, job_id: int, *, now: datetime
) -> None:
    """Queue one of the neighbourhood's failed jobs again (fresh attempts on our table, one more attempt on
    procrastinate)."""
    require(session, actor_id, neighbourhood_id, Action.RECORD_PAYMENT)
    if on_procrastinate(session):
        place = pg_queue.neighbourhood_of(session, job_id)
        if place != neighbourhood_id or not pg_queue.retry_by_hand(session, job_id):
            raise NotFound("There is no such failed job.")
        return
    job = session.get(Job, job_id)
    if (
        job is None
        or job.neighbourhood_id != neighbourhood_id
        or retry_by_hand(session, job_id, now=now) is None
    ):
        raise NotFound("There is no such failed job.")
