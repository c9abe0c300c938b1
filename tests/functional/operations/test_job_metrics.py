"""/metrics shows the task queue as it is at the scrape: jobs waiting, running and given up on, and how long
the oldest job due has waited (0 when none is due), read from the jobs table (the same for every process)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pledgebank import create_app
from pledgebank.db import unit_of_work
from pledgebank.outbox import Email, send_after_commit
from pledgebank.tasks.queue import enqueue
from tests.functional.operations.test_metrics import scrape
from tests.helpers.tasks import worker


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Separate workers on our own job table (procrastinate's are not measured yet), one attempt a job."""
    return {**app_config, "TASK_WORKER": "separate", "TASK_QUEUE": "table", "TASK_ATTEMPTS": 1}


def _figures(app) -> dict[str, float]:
    samples = scrape(app)
    found = {
        status: samples.get(("pledgebank_jobs", frozenset({("status", status)})))
        for status in ("queued", "running", "dead")
    }
    found["oldest"] = samples.get(("pledgebank_jobs_oldest_due_seconds", frozenset()))
    return found


def test_the_queue_is_measured_at_each_scrape(app, app_config, sessions, clock):
    assert _figures(app) == {"queued": 0, "running": 0, "dead": 0, "oldest": 0}
    refusing = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9})
    try:
        with unit_of_work(sessions) as session:
            send_after_commit(session, Email("ann@example.org", "Hello", "accounts/reset", {"token": "t"}))
        worker(refusing).run_until_idle()
    finally:
        refusing.extensions["pledgebank.engine"].dispose()
    with unit_of_work(sessions) as session:
        enqueue(session, "run-due", {"at": clock.now()})
        enqueue(session, "run-due", {"at": clock.now()}, run_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(seconds=90))
    assert _figures(app) == {"queued": 2, "running": 0, "dead": 1, "oldest": 90}


@pytest.mark.postgres
def test_procrastinate_s_jobs_are_measured_too(app_config, clock):
    """With separate workers on PostgreSQL the jobs are procrastinate's: the same gauges read them."""
    made = create_app({**app_config, "TASK_QUEUE": "procrastinate"})
    try:
        with unit_of_work(made.extensions["pledgebank.sessions"]) as session:
            enqueue(session, "run-due", {"at": clock.now()})
            enqueue(session, "run-due", {"at": clock.now()}, run_at=clock.now() + timedelta(hours=1))
        figures = _figures(made)
    finally:
        made.extensions["pledgebank.engine"].dispose()
    assert (figures["queued"], figures["running"], figures["dead"]) == (2, 0, 0)
    assert 0 <= figures["oldest"] < 60  # the due one was deferred just now, by the database's clock
