"""With separate workers configured, the transaction that asks for work only queues it: a key queues the same
work once while it waits; a failing job waits longer each time, then stays dead with its error until
retried by hand. On PostgreSQL the jobs are procrastinate's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pledgebank import create_app
from pledgebank.db import unit_of_work
from pledgebank.outbox import EMAIL_JOB, Email, email_payload, send_after_commit
from pledgebank.tasks import pg_queue
from pledgebank.tasks.models import JobStatus
from pledgebank.tasks.queue import enqueue
from pledgebank.tasks.worker import backoff, retry_by_hand
from tests.helpers.tasks import jobs, make_due, on_procrastinate, worker

HELLO = Email("ann@example.org", "Reset your password", "accounts/reset", {"token": "t0k3n", "name": "Ann"})


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Jobs run only when a worker runs them; three attempts each."""
    return {**app_config, "TASK_WORKER": "separate", "TASK_ATTEMPTS": 3}


def test_the_transaction_only_queues_and_the_worker_sends(app, sessions, outbox):
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
    assert outbox.all() == []
    assert [job.kind for job in jobs(app)] == [EMAIL_JOB]
    assert worker(app).run_until_idle() == 1
    assert [mail.subject for mail in outbox.all()] == ["Reset your password"]
    assert jobs(app) == []


def test_a_key_queues_the_same_work_once_while_it_waits(app, sessions, outbox):
    payload = email_payload(HELLO)
    for _ in range(3):
        with unit_of_work(sessions) as session:
            enqueue(session, EMAIL_JOB, payload, key="same")
    assert [job.key for job in jobs(app)] == ["same"]
    assert worker(app).run_until_idle() == 1
    with unit_of_work(sessions) as session:
        enqueue(session, EMAIL_JOB, payload, key="same")  # done: the same work may be asked for again
    assert [job.key for job in jobs(app)] == ["same"]


def test_keyed_work_asked_for_many_times_on_one_connection_is_queued_once_a_key(app, sessions):
    # Enough times for the PostgreSQL driver to prepare the statement (after five), which a bound predicate
    # for the partial unique index would not survive.
    with unit_of_work(sessions) as session:
        for n in range(12):
            enqueue(session, EMAIL_JOB, email_payload(HELLO), key=f"key-{n % 3}")
    assert sorted(job.key for job in jobs(app)) == ["key-0", "key-1", "key-2"]


def test_a_payload_that_would_not_come_back_the_same_is_refused_before_commit(sessions):
    with pytest.raises(TypeError, match="cannot hold a object"), unit_of_work(sessions) as session:
        enqueue(session, EMAIL_JOB, {"what": object()})


def test_a_failing_email_waits_longer_each_time_then_is_dead_with_its_error(
    app_config, app, sessions, clock, outbox
):
    # A worker whose mail server refuses every connection: a real failure, every time.
    refused = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9})
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
    assert worker(refused).run_until_idle() == 1
    (job,) = jobs(app)
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in (job.last_error or "")
    assert worker(refused).run_until_idle() == 0  # not before its time
    _wait_out(app, clock, job.run_at, backoff(1))
    assert worker(refused).run_until_idle() == 1
    (job,) = jobs(app)
    assert (job.status, job.attempts) == (JobStatus.QUEUED, 2)
    assert backoff(2) > backoff(1)
    _wait_out(app, clock, job.run_at, backoff(2))
    assert worker(refused).run_until_idle() == 1
    (job,) = jobs(app)
    assert (job.status, job.attempts, job.failed_at) == (JobStatus.DEAD, 3, clock.now())
    assert "ConnectionRefusedError" in (job.last_error or "")
    clock.advance(timedelta(days=30))
    assert worker(refused).run_until_idle() == 0  # a dead job stays dead

    with unit_of_work(sessions) as session:
        if on_procrastinate(app):  # one more attempt, as procrastinate retries a failed job
            assert not pg_queue.retry_by_hand(session, job.id + 1)
            assert pg_queue.retry_by_hand(session, job.id)
        else:  # fresh attempts
            assert retry_by_hand(session, job.id + 1, now=clock.now()) is None
            assert retry_by_hand(session, job.id, now=clock.now()) is not None
    (job,) = jobs(app)
    assert job.status == JobStatus.QUEUED
    assert worker(app).run_until_idle() == 1  # a worker that can send
    assert jobs(app) == []
    assert [mail.subject for mail in outbox.all()] == ["Reset your password"]
    refused.extensions["pledgebank.engine"].dispose()


def _wait_out(app, clock, run_at, backoff: timedelta) -> None:
    """Check a failed job waits `backoff` before its next attempt, then let that time pass: the app's clock
    for our table; procrastinate waits by the database's clock, so its time is brought forward."""
    if on_procrastinate(app):
        assert abs(run_at - (datetime.now(UTC) + backoff)) < timedelta(seconds=30)
        make_due(app)
    else:
        assert run_at == clock.now() + backoff
        clock.advance(backoff)
