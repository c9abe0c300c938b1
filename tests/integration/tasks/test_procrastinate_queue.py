"""procrastinate as the queue of separate workers on PostgreSQL: its schema from the migration (version
recorded), jobs deferred in the business transaction (gone with a rollback), payloads that come back as they
went in, and a job whose worker stopped during its last attempt failed with that as its error."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from pledgebank import create_app
from pledgebank.db import unit_of_work
from pledgebank.outbox import EMAIL_JOB, Email, send_after_commit
from pledgebank.tasks import payloads, pg_queue
from pledgebank.tasks.models import JobStatus
from pledgebank.tasks.pg_worker import STOPPED_WORKER, cron, run_to_end
from pledgebank.tasks.queue import enqueue
from tests.helpers.tasks import jobs, worker

pytestmark = pytest.mark.postgres
HELLO = Email("ann@example.org", "Reset your password", "accounts/reset", {"token": "t0k3n", "name": "Ann"})


class Boom(Exception):
    """What the test makes the transaction fail with."""


@pytest.fixture
def separate(app_config):
    """The service with separate workers: its jobs are procrastinate's."""
    made = create_app({**app_config, "TASK_WORKER": "separate", "TASK_ATTEMPTS": 2})
    assert made.config["TASK_QUEUE"] == "procrastinate"
    yield made
    made.extensions["pledgebank.engine"].dispose()


def test_the_migration_records_which_procrastinate_schema_it_applied(separate):
    with unit_of_work(separate.extensions["pledgebank.sessions"]) as session:
        noted = session.scalar(text("SELECT obj_description('procrastinate_jobs'::regclass)"))
    assert noted == "procrastinate 3.10.0"


def test_a_job_is_deferred_with_the_write_that_asked_for_it_or_not_at_all(separate, outbox):
    sessions = separate.extensions["pledgebank.sessions"]
    with pytest.raises(Boom), unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
        raise Boom
    assert jobs(separate) == []
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
        enqueue(session, EMAIL_JOB, {"to": "x"}, key="once", neighbourhood_id=None)
        enqueue(session, EMAIL_JOB, {"to": "y"}, key="once")  # the same key in one transaction: once
    assert [(job.kind, job.status, job.key) for job in jobs(separate)] == [
        (EMAIL_JOB, JobStatus.QUEUED, None),
        (EMAIL_JOB, JobStatus.QUEUED, "once"),
    ]
    with unit_of_work(sessions) as session:  # asked for again while it waits: still once
        enqueue(session, EMAIL_JOB, {"to": "z"}, key="once")
    assert len(jobs(separate)) == 2


def test_a_payload_comes_back_from_procrastinate_as_it_went_in():
    payload = {"at": datetime(2026, 3, 2, 10, tzinfo=UTC), "on": date(2026, 3, 2), "n": [1, 2]}
    row = {"payload": payloads.dumps(payload), "neighbourhood_id": 7, "max_attempts": 3}
    args = json.loads(pg_queue.job_args(row))
    assert (args["neighbourhood_id"], args["max_attempts"]) == (7, 3)
    assert pg_queue.revive(args["payload"]) == payload


def test_the_due_work_timer_is_a_whole_division_of_a_minute_an_hour_or_a_day():
    assert [cron(15), cron(60), cron(300), cron(7200)] == [
        "* * * * * */15",
        "*/1 * * * *",
        "*/5 * * * *",
        "0 */2 * * *",
    ]
    with pytest.raises(ValueError, match="70 s"):
        cron(70)


def test_a_job_whose_worker_stopped_during_its_last_attempt_is_failed_with_that_error(separate):
    sessions = separate.extensions["pledgebank.sessions"]
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
    # A worker took it for its last attempt and stopped: no heartbeat for a day.
    with unit_of_work(sessions) as session:
        session.execute(
            text(
                "WITH gone AS (INSERT INTO procrastinate_workers (last_heartbeat)"
                " VALUES (now() - interval '1 day') RETURNING id)"
                " UPDATE procrastinate_jobs"
                " SET status = 'doing', attempts = 1, worker_id = (SELECT id FROM gone)"
            )
        )
    runner = worker(separate)
    assert runner.lease < timedelta(days=1)

    async def put_back() -> int:
        app = runner.app(scheduling=False)
        async with app.open_async():
            return await runner.put_back_stalled(app)

    assert run_to_end(put_back) == 1
    (job,) = jobs(separate)
    assert (job.status, job.attempts, job.last_error) == (JobStatus.DEAD, 2, STOPPED_WORKER)
    assert runner.run_until_idle() == 0


def test_a_burst_runs_its_jobs_from_a_thread_that_already_runs_an_event_loop(separate, outbox):
    """A browser driver or a notebook keeps a loop running in the thread that asks for a burst."""
    with unit_of_work(separate.extensions["pledgebank.sessions"]) as session:
        send_after_commit(session, HELLO)

    async def inside_a_running_loop() -> int:
        return worker(separate).run_until_idle()

    assert asyncio.run(inside_a_running_loop()) == 1
    assert len(outbox.to(HELLO.to)) == 1
    assert jobs(separate) == []


def test_a_persons_emails_waiting_or_failed_are_deleted_with_them_and_failed_ones_after_retention(separate):
    from pledgebank.tasks.models import JobFailure
    from pledgebank.tasks.personal import delete_dead_jobs, forget_recipient

    sessions = separate.extensions["pledgebank.sessions"]
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
        send_after_commit(session, Email("bob@example.org", "Hello", "accounts/reset", {"token": "b"}))
    with unit_of_work(sessions) as session:
        named = session.scalars(
            text("SELECT args->>'recipient_email' FROM procrastinate_jobs ORDER BY id")
        ).all()
        assert named == ["ann@example.org", "bob@example.org"]
        assert forget_recipient(session, "Ann@Example.org") == 1
    assert len(jobs(separate)) == 1
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with unit_of_work(sessions) as session:
        bob = session.scalar(text("SELECT id FROM procrastinate_jobs"))
        session.execute(text("UPDATE procrastinate_jobs SET status = 'failed' WHERE id = :id"), {"id": bob})
        session.add(JobFailure(job_id=bob, error="smtp down", failed_at=now - timedelta(days=40)))
    with unit_of_work(sessions) as session:
        assert delete_dead_jobs(session, before=now - timedelta(days=50)) == 0
        assert delete_dead_jobs(session, before=now - timedelta(days=30)) == 1
    assert jobs(separate) == []
