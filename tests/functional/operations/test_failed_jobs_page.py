"""The treasurer's failed-jobs page: each job of the neighbourhood that failed after its last attempt, with
its error and a button to try it again; nobody else sees it, and no other neighbourhood's jobs are on it.
With separate workers configured, a request that sends an email only queues it."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.tasks.models import JobStatus
from pledgebank.tasks.queue import enqueue
from tests.factories.pledges import neighbourhood_with
from tests.helpers.app import PASSWORD, WebClient
from tests.helpers.tasks import jobs, worker

MISSING_SIGNUP = 987_654


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Jobs wait for a worker; one attempt each."""
    return {**app_config, "TASK_WORKER": "separate", "TASK_ATTEMPTS": 1}


def _failed_card_job(app, slug: str) -> int:
    """A card payment job for a signup that is not there: it fails for real, once, and is dead."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, slug)
        enqueue(
            session,
            "pledge-card",
            {"step": "capture", "signup": MISSING_SIGNUP},
            key=f"pledge:1:capture:{MISSING_SIGNUP}:{slug}",
            neighbourhood_id=place.id,
        )
    worker(app).run_until_idle()
    return max(job.id for job in jobs(app, status=JobStatus.DEAD))


def _client(app, address: str) -> WebClient:
    web = WebClient(app.test_client())
    web.login(address, PASSWORD)
    return web


def test_the_treasurer_sees_each_failed_job_with_its_error_and_tries_it_again(app, sessions):
    slug, _treasurer, _ = neighbourhood_with(sessions, residents=1)
    other, _, _ = neighbourhood_with(sessions, residents=0, name="Oak Hill", prefix="oak-")
    mine, theirs = _failed_card_job(app, slug), _failed_card_job(app, other)
    web = _client(app, "chair@example.org")

    page = web.get(f"/n/{slug}/failed-jobs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="job-{mine}"' in html and f'id="job-{theirs}"' not in html
    assert "A pledger&#39;s card payment" in html and "NotFound: There is no such pledge." in html
    assert "Failed after 1 attempt" in html

    assert web.post(f"/n/{slug}/failed-jobs/{theirs}/retry").status_code == 404  # not this neighbourhood's
    assert web.post(f"/n/{slug}/failed-jobs/{2**62}/retry").status_code == 404
    done = web.post(f"/n/{slug}/failed-jobs/{mine}/retry")
    assert done.status_code == 302 and done.headers["Location"] == f"/n/{slug}/failed-jobs"
    assert "The job is queued again." in web.get(f"/n/{slug}/failed-jobs").get_data(as_text=True)
    assert {job.id: job.status for job in jobs(app)} == {mine: JobStatus.QUEUED, theirs: JobStatus.DEAD}
    assert web.post(f"/n/{slug}/failed-jobs/{mine}/retry").status_code == 404  # queued, not failed

    worker(app).run_until_idle()  # fails again, for real
    assert {job.id: job.status for job in jobs(app)} == {mine: JobStatus.DEAD, theirs: JobStatus.DEAD}


def test_nobody_but_the_treasurer_sees_or_retries_failed_jobs(app, sessions):
    slug, _treasurer, _ = neighbourhood_with(sessions, residents=1)
    job = _failed_card_job(app, slug)
    resident = _client(app, "resident0@example.org")
    assert resident.get(f"/n/{slug}/failed-jobs").status_code == 403
    assert resident.post(f"/n/{slug}/failed-jobs/{job}/retry").status_code == 403
    signed_out = WebClient(app.test_client())
    assert signed_out.get(f"/n/{slug}/failed-jobs").status_code == 302
    assert "Failed jobs" not in resident.get(f"/n/{slug}").get_data(as_text=True)
    assert [j.status for j in jobs(app)] == [JobStatus.DEAD]


def test_a_request_only_queues_its_email_when_workers_are_separate(app, sessions, outbox):
    neighbourhood_with(sessions, residents=0)
    web = WebClient(app.test_client())
    assert web.post("/password/forgot", {"email": "chair@example.org"}).status_code == 302
    assert outbox.all() == []
    assert [job.kind for job in jobs(app)] == ["email"]
    worker(app).run_until_idle()
    assert [mail.subject for mail in outbox.all()] == ["Reset your password"]
