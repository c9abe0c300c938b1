"""`pledgebank worker --burst` runs what is queued and the scheduled due work, once however often it is
started within the interval; `pledgebank jobs failed` and `jobs retry` show and requeue what failed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.outbox import Email, send_after_commit
from pledgebank.tasks.models import JobStatus
from pledgebank.tasks.queue import enqueue
from tests.helpers.tasks import jobs, on_procrastinate

HELLO = Email("ann@example.org", "Reset your password", "accounts/reset", {"token": "t0k3n", "name": "Ann"})


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Separate workers; one attempt a job."""
    return {**app_config, "TASK_WORKER": "separate", "TASK_ATTEMPTS": 1}


def test_a_burst_sends_what_is_queued_and_schedules_the_due_work_once_an_interval(
    app, sessions, outbox, clock
):
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["worker", "--burst"])
    assert first.exit_code == 0, first.output
    assert "2 jobs run, 0 of them failed" in first.output  # the email and the due work
    assert [mail.to for mail in outbox.all()] == ["ann@example.org"]
    again = runner.invoke(main, ["worker", "--burst"])
    assert "0 jobs run" in again.output  # the due work is not due again yet
    clock.advance(timedelta(seconds=app.config["RUN_DUE_INTERVAL"]))
    assert "1 jobs run" in runner.invoke(main, ["worker", "--burst"]).output
    assert "0 jobs run" in runner.invoke(main, ["worker", "--burst", "--no-schedule"]).output
    assert jobs(app) == []


def test_failed_jobs_are_listed_and_retried_by_id(app, sessions):
    with unit_of_work(sessions) as session:
        enqueue(session, "no-such-kind", {"n": 1})
    runner = app.test_cli_runner()
    assert "1 of them failed" in runner.invoke(main, ["worker", "--burst", "--no-schedule"]).output
    (job,) = jobs(app)
    listed = runner.invoke(main, ["jobs", "failed"])
    assert f"{job.id:>8}  no-such-kind" in listed.output
    assert "LookupError: no handler for jobs of kind 'no-such-kind'" in listed.output
    assert runner.invoke(main, ["jobs", "retry", str(job.id + 1)]).exit_code == 1
    assert runner.invoke(main, ["jobs", "retry", "0"]).exit_code == 2
    assert runner.invoke(main, ["jobs", "retry", str(job.id)]).exit_code == 0
    # Fresh attempts on our table; one more attempt on procrastinate, as it retries a failed job.
    assert [(j.status, j.attempts) for j in jobs(app)] == [
        (JobStatus.QUEUED, 2 if on_procrastinate(app) else 0)
    ]
    assert "no failed jobs" in runner.invoke(main, ["jobs", "failed"]).output
