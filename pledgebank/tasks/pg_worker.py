"""procrastinate's worker for our job kinds (PostgreSQL with separate workers).

Flask-free: handlers are plain callables by kind, as for our own worker. Each kind is a procrastinate task
(a sync function, run in a thread); a failing job is retried with our backoff through a procrastinate retry
strategy, and after its last attempt stays `failed` (the dead-letter state), its error in `task_failures`.
The due work is a procrastinate periodic task: every worker runs the deferrer, and procrastinate's
`procrastinate_periodic_defers` table lets one of them defer each tick. A worker killed mid-job leaves its job
`doing` under a heartbeat that stops: once it is older than the lease, any worker puts the job back (or, after
its last attempt, fails it), so handlers must be safe to run twice, as they are for our own worker.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from procrastinate import App, JobContext, PsycopgConnector, exceptions, jobs, retry
from procrastinate.worker import Worker as ProcrastinateWorker
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from pledgebank import logs
from pledgebank.clock import Clock
from pledgebank.db import unit_of_work
from pledgebank.tasks import pg_queue
from pledgebank.tasks.worker import Attempt, Handler, backoff, describe

log = logging.getLogger(__name__)
PERIODIC_ID = "pledgebank"
STOPPED_WORKER = "the worker stopped during its last attempt"
UNKNOWN = "pledgebank-unknown-kind"
T = TypeVar("T")


def run_to_end(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to its end from synchronous code: in this thread, or in a thread of its own when this
    one already runs an event loop (a browser driver's, a notebook's), where asyncio.run would refuse."""

    async def whole() -> T:
        return await make()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(whole())
    with ThreadPoolExecutor(1, thread_name_prefix="queue-burst") as own:
        return own.submit(asyncio.run, whole()).result()


class LeaveOutArguments(logging.Filter):
    """procrastinate logs each job with its arguments (an email's address and names): keep its name and id."""

    def filter(self, record: logging.LogRecord) -> bool:
        job = record.__dict__.get("job")
        if isinstance(job, dict) and "call_string" in job:
            short = f"{job.get('task_name')}[{job.get('id')}]"
            record.msg = str(record.msg).replace(str(job["call_string"]), short)
            record.job = {
                name: value for name, value in job.items() if name not in ("task_kwargs", "call_string")
            }
        record.msg, record.args = logs.mask(record.getMessage()), ()
        return True


def quiet_arguments() -> None:
    """Put the filter on every procrastinate logger (a logger's filter does not reach its children)."""
    logging.getLogger("procrastinate.worker.worker")  # made when a worker starts: made now, to be filtered
    for name in list(logging.root.manager.loggerDict):
        found = logging.getLogger(name)
        if name.startswith("procrastinate") and not any(
            isinstance(f, LeaveOutArguments) for f in found.filters
        ):
            found.addFilter(LeaveOutArguments())


def conninfo(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def cron(seconds: int) -> str:
    """The cron expression for "every `seconds`" (seconds as procrastinate's sixth field under a minute)."""
    if seconds < 60 and 60 % seconds == 0:
        return f"* * * * * */{seconds}"
    if seconds % 60 == 0 and 60 % (seconds // 60) == 0:
        return f"*/{seconds // 60} * * * *"
    if seconds % 3600 == 0 and 24 % (seconds // 3600) == 0:
        return f"0 */{seconds // 3600} * * *"
    raise ValueError(f"an interval of {seconds} s is not a whole division of a minute, an hour or a day")


def allowed_attempts(job: jobs.Job, default: int) -> int:
    """How many attempts the job may have: its own number, or the default."""
    value = job.task_kwargs.get("max_attempts")
    return value if isinstance(value, int) and value > 0 else default


@dataclass(frozen=True)
class Backoff(retry.BaseRetryStrategy):
    """Our backoff (30 s, 2 min, 8 min ...) up to the job's own number of attempts (kept in its arguments)."""

    default_attempts: int

    def get_retry_decision(self, *, exception: BaseException, job: jobs.Job) -> retry.RetryDecision | None:
        made = job.attempts + 1  # this one included
        if made >= allowed_attempts(job, self.default_attempts):
            return None
        return retry.RetryDecision(retry_in={"seconds": int(backoff(made).total_seconds())})


class KnownOrNot(dict[str, Any]):
    """procrastinate's tasks by name, where a job of a kind this worker does not know (one a newer release
    queued, say) finds the task that fails it: it is retried with backoff, then kept with its error."""

    def __init__(self, tasks: Mapping[str, Any], unknown: Any) -> None:
        super().__init__(tasks)
        self.unknown = unknown

    def __missing__(self, name: str) -> Any:
        return self.unknown

    def get(self, name: str, default: Any = None) -> Any:
        return self[name]


@dataclass
class QueueWorker:
    """Runs our jobs on procrastinate: `run_until_idle` for a burst, `run` to serve, like our own Worker."""

    sessions: sessionmaker[Session]
    clock: Clock
    handlers: Mapping[str, Handler]
    database_url: str
    due_kind: str
    due_every: int
    lease: timedelta = timedelta(minutes=10)
    attempts: int = 5
    concurrency: int = 1
    ran: int = 0
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        quiet_arguments()

    def app(self, *, scheduling: bool = True) -> App:
        """A procrastinate app with a task per job kind (and, if scheduling, the due work on its timer)."""
        app = App(connector=PsycopgConnector(conninfo=conninfo(self.database_url), min_size=1, max_size=4))
        for kind, handler in self.handlers.items():
            once = kind == self.due_kind  # the next tick does the due work again: no retries
            task = app.task(
                name=kind,
                pass_context=True,
                retry=False if once else Backoff(self.attempts),
                queueing_lock=kind if once else None,  # one run of the due work waits at a time
            )(self._run(kind, handler))
            if once and scheduling:
                app.periodic(cron=cron(self.due_every), periodic_id=PERIODIC_ID)(task)
        unknown = app.task(name=UNKNOWN, pass_context=True, retry=Backoff(self.attempts))(
            self._run(UNKNOWN, None)
        )
        app.tasks = KnownOrNot(app.tasks, unknown)
        return app

    def _run(self, kind: str, handler: Handler | None) -> Any:
        def run(context: JobContext, payload: Any = None, **_more: Any) -> None:
            job = context.job
            assert job.id is not None
            try:
                if handler is None:
                    raise LookupError(f"no handler for jobs of kind {job.task_name!r}")
                handler(pg_queue.revive(payload), Attempt(job.id, job.attempts + 1))
            except Exception as error:
                self._count(failed=1)
                self._note(job.id, describe(error))
                raise
            self._count(ran=1)
            if job.attempts:
                with unit_of_work(self.sessions) as session:
                    pg_queue.forget_failure(session, job.id)

        run.__name__ = run.__qualname__ = f"run_{kind.replace('-', '_')}"
        return run

    def _count(self, *, ran: int = 0, failed: int = 0) -> None:
        with self._lock:
            self.ran += ran
            self.failed += failed

    def _note(self, job_id: int, error: str) -> None:
        try:
            with unit_of_work(self.sessions) as session:
                pg_queue.record_failure(session, job_id, error, now=self.clock.now())
        except Exception:
            log.exception("could not record a job's error", extra={"job_id": job_id})

    def _options(self, **more: Any) -> dict[str, Any]:
        lease = self.lease.total_seconds()
        return {
            "concurrency": self.concurrency,
            "delete_jobs": "successful",
            "install_signal_handlers": False,
            "update_heartbeat_interval": max(0.2, min(10.0, lease / 4)),
            "stalled_worker_timeout": lease,
            **more,
        }

    def run_until_idle(self, *, limit: int | None = None) -> int:
        """Run due jobs until none is left (stalled ones first put back); return how many ran (`limit` is
        not honoured: procrastinate's burst runs until the queue is empty)."""
        before = self.ran + self.failed
        run_to_end(self._burst)
        return self.ran + self.failed - before

    async def _burst(self) -> None:
        app = self.app(scheduling=False)
        async with app.open_async():
            await self.put_back_stalled(app)
            await ProcrastinateWorker(app, **self._options(wait=False, listen_notify=False)).run()

    def run(self, stop: threading.Event, *, poll: float = 1.0, scheduling: bool = True) -> None:
        """Serve until stop is set; a worker whose database went away starts again after `poll` seconds."""
        while not stop.is_set():
            try:
                run_to_end(lambda: self._serve(stop, poll, scheduling))
            except Exception:
                log.warning("the queue's database did not answer; starting the worker again", exc_info=True)
                stop.wait(poll)

    async def _serve(self, stop: threading.Event, poll: float, scheduling: bool) -> None:
        app = self.app(scheduling=scheduling)
        async with app.open_async():
            await self.put_back_stalled(app)
            worker = ProcrastinateWorker(app, **self._options(fetch_job_polling_interval=poll))
            serving = asyncio.create_task(worker.run())
            checked = time.monotonic()
            while not serving.done():
                await asyncio.wait({serving}, timeout=min(poll, 1.0))
                if stop.is_set():
                    worker.stop()
                elif time.monotonic() - checked > self.lease.total_seconds() / 2:
                    checked = time.monotonic()
                    await self.put_back_stalled(app)
            serving.result()
            if not stop.is_set():
                raise RuntimeError("the worker stopped by itself")

    async def put_back_stalled(self, app: App) -> int:
        """Jobs of workers whose heartbeat is older than the lease: again later, or failed after their last
        attempt. Safe in every worker at once (the second to ask finds the job moved on)."""
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=self.lease.total_seconds())
        moved = 0
        for job in stalled:
            allowed = 1 if job.task_name == self.due_kind else allowed_attempts(job, self.attempts)
            try:
                if job.attempts + 1 >= allowed:
                    assert job.id is not None
                    self._note(job.id, STOPPED_WORKER)
                    await app.job_manager.finish_job(job, status=jobs.Status.FAILED, delete_job=False)
                else:
                    await app.job_manager.retry_job(job)
                moved += 1
            except exceptions.ConnectorException:
                log.info("a stalled job had moved on", extra={"job_id": job.id})
        return moved

    def schedule_due(self) -> bool:
        """Defer the due work for the latest tick of its timer by the app's clock, as every worker's deferrer
        does by the wall clock; True if this call deferred it (two schedulers at once: one of them)."""
        return run_to_end(self._defer_due)

    async def _defer_due(self) -> bool:
        app = self.app(scheduling=True)
        (timer,) = app.periodic_registry.periodic_tasks.values()
        timer.croniter.set_current(
            start_time=self.clock.now().timestamp()
        )  # the app's clock, as tests move it
        tick = round(timer.croniter.get_prev(ret_type=float))
        async with app.open_async():
            job = timer.task.configure(task_kwargs={"timestamp": tick}).job
            try:
                found = await app.job_manager.defer_periodic_job(
                    job, periodic_id=PERIODIC_ID, defer_timestamp=tick
                )
            except exceptions.AlreadyEnqueued:
                return False
        return found is not None
