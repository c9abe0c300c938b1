"""Two workers running the same fan-out at once on PostgreSQL (a lease ran out while the first still ran):
they take turns on its progress row, and every pledger's email is queued once."""

from __future__ import annotations

from collections import Counter

import pytest

from pledgebank.outbox import EMAIL_JOB
from pledgebank.pledges import telling
from pledgebank.tasks.payloads import loads
from tests.factories.pledges import make_pledge, many_residents, neighbourhood_with, record_cash, sign
from tests.helpers.tasks import jobs

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Separate workers: the fan-out waits in the table for the test to run it."""
    return {**app_config, "TASK_WORKER": "separate"}


def test_two_runs_of_one_fan_out_at_once_queue_each_email_once(app, sessions, together, monkeypatch):
    monkeypatch.setattr(telling, "BATCH", 5)
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = many_residents(sessions, slug, 23)
    pledge = make_pledge(app, slug, chair, target_pledgers=len(people))
    for person in people:
        record_cash(app, sign(app, pledge, person, method="cash"), chair)
    (fan_out,) = jobs(app, kind=telling.TELL_JOB)
    payload, now = loads(fan_out.payload), app.extensions["pledgebank.clock"].now()

    outcomes = together(2, lambda _n: telling.tell_all(sessions, payload, now=now))
    assert [outcome.error for outcome in outcomes] == [None, None]
    # One run took the first k batches of 5 and the other the rest (or one took all): sorted, smaller first.
    assert sorted(outcome.value for outcome in outcomes if outcome.value) in (
        [23],
        [5, 18],
        [10, 13],
        [8, 15],
        [3, 20],
    )
    assert sum(outcome.value for outcome in outcomes) == 23  # each batch handled by one run or the other
    activated = [job for job in jobs(app, kind=EMAIL_JOB) if '"template":"pledges/activated"' in job.payload]
    assert Counter(loads(job.payload)["to"] for job in activated) == {
        f"neighbour{n}@example.org": 1 for n in range(23)
    }
