"""Queued emails hold their recipient's address, name and message: the recipient's right of access shows those
waiting or given up on, closing their account deletes them, and an email given up on is deleted once past
the retention period (with the progress records of finished fan-outs)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pledgebank import create_app
from pledgebank.accounts import privacy
from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.db import unit_of_work
from pledgebank.outbox import Email, send_after_commit
from pledgebank.privacy import enforce
from pledgebank.privacy.retention import RetentionPolicy
from pledgebank.tasks.fanout import fan_out
from pledgebank.tasks.models import FanOut, JobStatus
from tests.factories.pledges import quick_user
from tests.helpers.tasks import jobs, worker

SECTION = next(section for section in privacy.SECTIONS if section.key == "queued_emails")


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Separate workers, one attempt a job: an email that fails once is given up on."""
    return {**app_config, "TASK_WORKER": "separate", "TASK_ATTEMPTS": 1}


@pytest.fixture
def refusing(app_config):
    """A worker whose mail server refuses every connection (a real failure)."""
    made = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9})
    yield made
    made.extensions["pledgebank.engine"].dispose()


def _email(sessions, to: str, subject: str) -> None:
    with unit_of_work(sessions) as session:
        send_after_commit(
            session, Email(to, subject, "accounts/reset", {"token": "t0k3n", "name": "Rosa Marsh"})
        )


def _exported(sessions, user_id: int) -> list[dict]:
    with unit_of_work(sessions) as session:
        return list(privacy.rows_of(session, SECTION, user_id))


def test_the_recipients_export_shows_their_waiting_and_failed_emails_and_no_one_elses(
    app, sessions, refusing
):
    rosa = quick_user(sessions, "rosa@example.org", "Rosa Marsh")
    quick_user(sessions, "sam@example.org", "Sam Ng")
    _email(sessions, "Rosa@Example.org", "Failed")
    _email(sessions, "sam@example.org", "For Sam")
    worker(refusing).run_until_idle()
    _email(sessions, "rosa@example.org", "Waiting")
    rows = _exported(sessions, rosa)
    assert [(row["status"], row["recipient_email"]) for row in rows] == [
        ("dead", "rosa@example.org"),
        ("queued", "rosa@example.org"),
    ]
    assert '"subject":"Failed"' in rows[0]["payload"] and "ConnectionRefusedError" in rows[0]["last_error"]
    assert "key" not in rows[0]


def test_closing_an_account_deletes_the_emails_to_it_and_keeps_everyone_elses(app, sessions, refusing):
    rosa = quick_user(sessions, "rosa@example.org", "Rosa Marsh")
    _email(sessions, "rosa@example.org", "Failed")
    _email(sessions, "sam@example.org", "Failed for Sam")
    worker(refusing).run_until_idle()
    _email(sessions, "rosa@example.org", "Waiting")
    with unit_of_work(sessions) as session:
        pseudonymise_user(session, rosa, now=app.extensions["pledgebank.clock"].now())
    assert [job.recipient_email for job in jobs(app)] == ["sam@example.org"]
    assert _exported(sessions, rosa) == []


def test_failed_emails_and_finished_fan_outs_go_once_past_the_retention_period(
    app, sessions, clock, refusing
):
    policy = RetentionPolicy(dead_jobs_days=30)
    zone = app.config["TIMEZONE"]
    _email(sessions, "rosa@example.org", "Old")
    worker(refusing).run_until_idle()
    fan_out(sessions, key="old", items=[1, 2], batch=5, each=lambda _session, _chunk: None, now=clock.now())
    clock.advance(timedelta(days=20))
    _email(sessions, "rosa@example.org", "Recent")
    worker(refusing).run_until_idle()
    _email(sessions, "rosa@example.org", "Waiting")
    clock.advance(timedelta(days=11))
    done = enforce.run_due(sessions, policy=policy, now=clock.now(), zone=zone)
    assert done["retention: failed jobs deleted"] == 1
    assert done["retention: fan-out records deleted"] == 1
    left = [(job.status, '"subject":"Recent"' in job.payload) for job in jobs(app)]
    assert left == [(JobStatus.DEAD, True), (JobStatus.QUEUED, False)]
    with unit_of_work(sessions) as session:
        assert session.scalars(select(FanOut.key)).all() == []
