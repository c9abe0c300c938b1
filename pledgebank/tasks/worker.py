"""Running queued jobs: claim one (SKIP LOCKED on PostgreSQL), run its handler, then finish, retry or bury it.

Flask-free: handlers are plain callables by kind, given the payload and the job's attempt. A job is claimed
in its own short transaction with a lease; a worker that dies mid-job leaves it running, and once the lease
is over another worker claims it again (so every handler must be safe to run twice: the card work is, through
its attempt rows and idempotency keys, and the emails, through their message ids). A failing job waits
longer after each attempt and, after its last, is kept as dead with its error, for the dead-letter page.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.clock import Clock
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.tasks import payloads
from pledgebank.tasks.models import ACTIVE, JOB_STATES, Job, JobAction, JobStatus

log = logging.getLogger(__name__)


class JobAlreadyQueued(Conflict):
    """A dead job cannot be retried while a job for the same work waits or runs."""

    code = "job_already_queued"


@dataclass(frozen=True, slots=True)
class Attempt:
    """What a handler knows of its job: which job, and which attempt this is (1 the first time)."""

    job_id: int
    number: int


Handler = Callable[[dict[str, Any], Attempt], None]


def backoff(attempt: int) -> timedelta:
    """How long to wait after a failed attempt: 30 s, 2 min, 8 min, 32 min, then 2 h 8 min at most."""
    return timedelta(seconds=30 * 4 ** min(attempt - 1, 4))


@dataclass
class Worker:
    """Claims and runs due jobs; `run_until_idle` for a burst (and the in-process worker), `run` to serve."""

    sessions: sessionmaker[Session]
    clock: Clock
    handlers: Mapping[str, Handler]
    lease: timedelta = timedelta(minutes=10)
    ran: int = 0
    failed: int = 0
    _local: threading.local = field(default_factory=threading.local)

    def run_one(self) -> bool:
        """Claim and run one due job; False when none is due."""
        claimed = self._claim()
        if claimed is None:
            return False
        job_id, kind, payload, attempt = claimed
        handler = self.handlers.get(kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {kind!r}")
            handler(payloads.loads(payload), Attempt(job_id, attempt))
        except Exception as error:
            self.failed += 1
            self._failed(job_id, attempt, error)
            return True
        self.ran += 1
        with unit_of_work(self.sessions) as session:
            # Only if it is still this attempt's: a worker whose lease ran out must not finish another's.
            session.execute(delete(Job).where(Job.id == job_id, Job.attempts == attempt))
        return True

    def run_until_idle(self, *, limit: int | None = None) -> int:
        """Run due jobs until none is left (or `limit` have run); return how many ran. Not re-entrant: a job
        that commits more jobs in this thread leaves them to this loop rather than starting another."""
        if getattr(self._local, "running", False):
            return 0
        self._local.running = True
        count = 0
        try:
            while (limit is None or count < limit) and self.run_one():
                count += 1
        finally:
            self._local.running = False
        return count

    def run(
        self, stop: threading.Event, *, poll: float = 1.0, tick: Callable[[], None] | None = None
    ) -> None:
        """Serve until stop is set: run due jobs, and when none is due wait `poll` seconds (or until stop)."""
        while not stop.is_set():
            try:
                if tick is not None:
                    tick()
                idle = self.run_until_idle(limit=100) == 0
            except OperationalError:
                # The database went away: keep the process, try again after a pause (jobs stay queued).
                log.warning("the queue's database did not answer; trying again")
                idle = True
            if idle:
                stop.wait(poll)

    def _claim(self) -> tuple[int, str, str, int] | None:
        while True:
            now = self.clock.now()
            with unit_of_work(self.sessions) as session:
                job = session.scalar(
                    select(Job)
                    .where(
                        or_(
                            (Job.status == JobStatus.QUEUED) & (Job.run_at <= now),
                            (Job.status == JobStatus.RUNNING) & (Job.locked_until <= now),
                        )
                    )
                    .order_by(Job.run_at, Job.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                )
                if job is None:
                    return None
                if job.status == JobStatus.RUNNING and job.attempts >= job.max_attempts:
                    # Its last attempt never came back (the worker stopped each time): give up on it.
                    _bury(job, "the worker stopped during its last attempt", now)
                    continue
                job.status = JOB_STATES.next(job.status, JobAction.CLAIM)
                job.attempts += 1
                job.locked_until = now + self.lease
                return job.id, job.kind, job.payload, job.attempts

    def _failed(self, job_id: int, attempt: int, error: Exception) -> None:
        now = self.clock.now()
        text = describe(error)
        log.warning("job failed", extra={"job_id": job_id, "attempt": attempt, "error": type(error).__name__})
        with unit_of_work(self.sessions) as session:
            job = session.get(Job, job_id, with_for_update=True)
            if job is None or job.attempts != attempt or job.status != JobStatus.RUNNING:
                return
            if attempt >= job.max_attempts:
                _bury(job, text, now)
                return
            job.status = JOB_STATES.next(job.status, JobAction.RETRY_LATER)
            job.run_at = now + backoff(attempt)
            job.locked_until = None
            job.last_error = text


def _bury(job: Job, error: str, now: datetime) -> None:
    job.status = JOB_STATES.next(job.status, JobAction.GIVE_UP)
    job.locked_until = None
    job.last_error = error
    job.failed_at = now
    log.error("job gave up after its last attempt", extra={"job_id": job.id, "kind": job.kind})


def describe(error: Exception) -> str:
    """The error as the dead-letter page shows it: its type and message, and where it was raised."""
    last = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(error).__name__}: {error}{where}"[:2000]


def retry_by_hand(session: Session, job_id: int, *, now: datetime) -> Job | None:
    """Put a dead job back in the queue with fresh attempts; None if there is no such dead job."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is None or job.status != JobStatus.DEAD:
        return None
    if job.key is not None and session.scalar(
        select(Job.id).where(Job.key == job.key, Job.status.in_(ACTIVE)).limit(1)
    ):
        raise JobAlreadyQueued("The same work is already queued again.")
    job.status = JOB_STATES.next(job.status, JobAction.RETRY_BY_HAND)
    job.attempts, job.run_at, job.failed_at = 0, now, None
    return job
