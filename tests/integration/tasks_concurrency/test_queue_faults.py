"""The queue under faults on PostgreSQL: its database connections cut while a worker runs, a card payment
job that keeps failing (it stops after its attempts and waits on the treasurer's failed-jobs page with its
error), and two schedulers at once (the due work is queued, and done, once)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from pledgebank import create_app
from pledgebank.clock import Clock
from pledgebank.db import make_engine, unit_of_work
from pledgebank.jobs import queue_due
from pledgebank.outbox import Email, send_after_commit
from pledgebank.tasks.cli import schedule_due
from pledgebank.tasks.models import JobStatus
from tests.factories.pledges import (
    assert_books_ok,
    assert_ledger_matches_stripe,
    card_payments_by_signup,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    signup_state,
)
from tests.helpers.app import PASSWORD, WebClient
from tests.helpers.tasks import jobs, make_due, wait_until, worker

pytestmark = pytest.mark.postgres


def _cut_connections(database_url: str) -> int:
    """Terminate every other session on the test database (as a failover or a restarted server would)."""
    admin = make_engine(database_url)
    try:
        with admin.connect() as conn:
            cut = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            conn.commit()
            return int(cut)
    finally:
        admin.dispose()


def _no_jobs_left(app) -> bool:
    """Whether the queue is empty; a look whose own connection was cut with the rest looks again (the
    disconnect drops that connection from the pool)."""
    try:
        return jobs(app) == []
    except OperationalError:
        return False


def test_a_worker_whose_database_connections_are_cut_goes_on_and_sends_each_email_once(
    app_config, database_url, outbox
):
    # The wall clock, so a lease cut short by a lost connection runs out; one-second leases.
    live = create_app({**app_config, "TASK_WORKER": "separate", "TASK_LEASE": 1, "CLOCK": Clock()})
    sessions = live.extensions["pledgebank.sessions"]
    with unit_of_work(sessions) as session:
        for n in range(40):
            send_after_commit(
                session,
                Email(
                    f"p{n}@example.org",
                    "Reset your password",
                    "accounts/reset",
                    {"token": f"t{n}", "name": f"Person {n}"},
                ),
            )
    stop = threading.Event()
    thread = threading.Thread(target=worker(live).run, args=(stop,), kwargs={"poll": 0.05}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: len(outbox.all()) >= 5, within=60, what="the first emails")
        assert _cut_connections(database_url) >= 1
        wait_until(lambda: len(outbox.all()) >= 20, within=60, what="more emails after the cut")
        _cut_connections(database_url)
        wait_until(lambda: _no_jobs_left(live), within=90, what="every job done")
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
    sent = sorted(mail.to for mail in outbox.all())
    assert sent == sorted(f"p{n}@example.org" for n in range(40)), "each email once, none lost"
    live.extensions["pledgebank.engine"].dispose()


def test_a_card_payment_that_keeps_failing_stops_and_waits_on_the_failed_jobs_page(
    app_config, app, sessions, clock
):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    held = [pledge_with_card(app, pledge, ann), pledge_with_card(app, pledge, ben)]
    due(app)
    clock.advance(timedelta(hours=73))
    # The service with separate workers (procrastinate's), and workers whose Stripe does not answer.
    separate = {**app_config, "TASK_WORKER": "separate", "TASK_ATTEMPTS": 2}
    web = create_app(separate)
    down = create_app({**separate, "STRIPE_API_BASE": "http://127.0.0.1:9"})
    queue_due(down)
    assert pledge_state(app, pledge) == "succeeded"
    assert len(jobs(app, kind="pledge-card")) == 2
    worker(down).run_until_idle()
    # After the payment attempt's lease (so the retry takes the attempt over, asking Stripe what it did),
    # and the job's backoff (procrastinate's, by the database's clock: brought forward).
    clock.advance(timedelta(seconds=app.config["PAYMENT_ATTEMPT_LEASE"] + 1))
    make_due(app)
    worker(down).run_until_idle()
    dead = jobs(app, status=JobStatus.DEAD)
    assert len(dead) == 2 and all(job.attempts == 2 for job in dead)
    assert all("GatewayUnavailable" in (job.last_error or "") for job in dead)
    clock.advance(timedelta(days=1))
    assert worker(down).run_until_idle() == 0  # stopped after its attempts

    browser = WebClient(web.test_client())
    browser.login("chair@example.org", PASSWORD)  # the chair is the treasurer here
    page = browser.get(f"/n/{slug}/failed-jobs").get_data(as_text=True)
    assert all(f'id="job-{job.id}"' in page for job in dead) and "GatewayUnavailable" in page
    for job in dead:
        assert browser.post(f"/n/{slug}/failed-jobs/{job.id}/retry").status_code == 302
    worker(web).run_until_idle()  # Stripe answers again
    assert [signup_state(app, signup) for signup in held] == ["captured", "captured"]
    assert card_payments_by_signup(app) == {held[0]: 1, held[1]: 1}
    assert assert_ledger_matches_stripe(app) == 2000
    assert jobs(app) == []
    assert_books_ok(app)
    down.extensions["pledgebank.engine"].dispose()
    web.extensions["pledgebank.engine"].dispose()


def test_two_schedulers_at_once_queue_and_do_the_due_work_once(app_config, app, sessions, clock, together):
    slug, chair, residents = neighbourhood_with(sessions, residents=6)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    signups = [pledge_with_card(app, pledge, person) for person in residents]
    due(app)
    assert {signup_state(app, signup) for signup in signups} == {"held"}
    clock.advance(timedelta(hours=73))
    separate = create_app({**app_config, "TASK_WORKER": "separate"})

    ticks = together(2, lambda _i: schedule_due(separate))  # two schedulers tick together: one queues the run
    assert [outcome.error for outcome in ticks] == [None, None]
    assert sorted(outcome.value for outcome in ticks) == [False, True]
    for _ in range(4):  # later due moments, while that run waits: nothing more is queued
        clock.advance(timedelta(seconds=separate.config["RUN_DUE_INTERVAL"]))
        ticks = together(2, lambda _i: schedule_due(separate))
        assert [(outcome.error, outcome.value) for outcome in ticks] == [(None, False), (None, False)]
    assert [job.kind for job in jobs(app)] == ["run-due"]  # one waits: its key is taken while it waits

    runs = together(2, lambda _i: queue_due(separate))  # and two runs of it at once fan out once
    assert [outcome.error for outcome in runs] == [None, None]
    assert pledge_state(app, pledge) == "succeeded"
    cards = jobs(app, kind="pledge-card")
    assert len(cards) == len(signups) and len({job.key for job in cards}) == len(signups)

    threads = together(2, lambda _i: worker(separate).run_until_idle())  # two workers share them
    assert [outcome.error for outcome in threads] == [None, None]
    assert {signup_state(app, signup) for signup in signups} == {"captured"}
    assert card_payments_by_signup(app) == {signup: 1 for signup in signups}
    assert assert_ledger_matches_stripe(app) == 1000 * len(signups)
    assert [(job.kind, job.status, job.last_error) for job in jobs(app)] == []
    assert_books_ok(app)
    separate.extensions["pledgebank.engine"].dispose()
