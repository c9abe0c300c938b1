"""The scheduled run of the due work on the queue: one keyed job per pledger's card step (queued once
however often the run is), captured once each by the workers; holds it queues count at the pledge's end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pledgebank import create_app
from pledgebank.jobs import queue_due
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
from tests.helpers.tasks import jobs, worker

pytestmark = pytest.mark.stripe


@pytest.fixture
def separate(app, app_config):
    """The same service with separate workers: its runs only queue, its worker does the work."""
    made = create_app({**app_config, "TASK_WORKER": "separate"})
    yield made
    made.extensions["pledgebank.engine"].dispose()


def test_each_pledgers_capture_is_one_job_queued_once_and_done_once(app, sessions, clock, separate):
    slug, chair, residents = neighbourhood_with(sessions, residents=3)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    signups = [pledge_with_card(app, pledge, person) for person in residents]
    due(app)
    clock.advance(timedelta(hours=73))
    queue_due(separate)
    queue_due(separate)  # a second run while the first run's jobs wait queues nothing more
    assert pledge_state(app, pledge) == "succeeded"
    cards = jobs(app, kind="pledge-card")
    assert sorted(job.key for job in cards) == sorted(f"pledge:{pledge}:capture:{s}" for s in signups)
    assert {signup_state(app, signup) for signup in signups} == {"held"}  # nothing done by the run itself

    worker(separate).run_until_idle()
    assert {signup_state(app, signup) for signup in signups} == {"captured"}
    assert card_payments_by_signup(app) == {signup: 1 for signup in signups}
    assert assert_ledger_matches_stripe(app) == 3000
    queue_due(separate)
    assert jobs(app) == []
    assert_books_ok(app)


def test_a_hold_the_run_queues_at_the_end_counts_before_the_pledge_is_decided(app, sessions, clock, separate):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first = pledge_with_card(app, pledge, ann)  # saved while the pledge is open
    second = pledge_with_card(app, pledge, ben)  # activates it, and is held at once
    assert (signup_state(app, first), signup_state(app, second)) == ("card_saved", "held")
    clock.advance(timedelta(hours=72, minutes=1))  # collection has just ended
    queue_due(separate)
    assert pledge_state(app, pledge) == "collecting"  # it waits for the hold it queued
    assert [job.key for job in jobs(app, kind="pledge-card")] == [f"pledge:{pledge}:hold:{first}"]
    worker(separate).run_until_idle()
    assert signup_state(app, first) == "held"
    queue_due(separate)
    assert pledge_state(app, pledge) == "succeeded"  # both holds counted
    worker(separate).run_until_idle()
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert jobs(app) == []
    assert_books_ok(app)
