"""The weekly digest run by several `run-due` processes at once, on PostgreSQL with real threads (each with
its own connection): every subscriber gets this week's digest exactly once."""

from __future__ import annotations

import secrets
from collections import Counter

import pytest

from pledgebank.alerts import jobs
from pledgebank.alerts.models import AlertSubscription
from pledgebank.db import unit_of_work
from tests.factories.pledges import make_pledge, neighbourhood_with
from tests.helpers.concurrency import pooled_app_config, run_together

pytestmark = pytest.mark.postgres

SUBSCRIBERS = 30
RUNNERS = 4


app_config = pooled_app_config(pool_size=RUNNERS + 2)


def test_digests_run_at_once_are_sent_once_each(app, sessions, outbox, clock):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    now = clock.now()
    with unit_of_work(sessions) as session:
        for n in range(SUBSCRIBERS):
            session.add(
                AlertSubscription(
                    email=f"reader{n}@example.org",
                    district="SE15",
                    scope="d:SE15",
                    frequency="weekly",
                    key=secrets.token_urlsafe(32),
                    created_at=now,
                    confirmed_at=now,
                )
            )
    make_pledge(app, slug, chair)
    zone = app.config["TIMEZONE"]
    outcomes = run_together(
        RUNNERS, lambda _: jobs.run_due(sessions, now=clock.now(), zone=zone), timeout=120
    )
    assert [o.error for o in outcomes if o.error] == []
    assert sum(o.value["alert digests sent"] for o in outcomes) == SUBSCRIBERS
    sent = Counter(mail.to for mail in outbox.all() if "this week" in mail.subject)
    assert sent == Counter({f"reader{n}@example.org": 1 for n in range(SUBSCRIBERS)})
