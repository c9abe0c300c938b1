"""A `pledgebank worker` killed mid-job, right after Stripe captured a payment and before anything was
recorded: once its heartbeat is older than the lease, the next worker puts the job back (procrastinate's
stalled job) and takes it over, recovers what Stripe did through the attempt row, and nobody is charged or
emailed twice.

The workers run as real processes whose Stripe traffic goes through a proxy that SIGKILLs them right after
forwarding the capture's response. They keep the wall clock, so the pledge is made with the app's clock
frozen 76 hours ago: its 72-hour collection window has ended by the time the workers run.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import text

from pledgebank.clock import Clock
from pledgebank.db import unit_of_work
from pledgebank.tasks.models import JobStatus
from tests.factories.pledges import (
    assert_books_ok,
    assert_ledger_matches_stripe,
    card_payments_by_signup,
    due,
    intents,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    signup_state,
)
from tests.helpers.app import STRIPE_TEST_KEY, STRIPE_WEBHOOK_SECRET
from tests.helpers.stripe_proxy import StripeProxy
from tests.helpers.tasks import jobs, wait_until

pytestmark = pytest.mark.postgres
CLI = "import sys; from pledgebank.cli import main; sys.argv[0] = 'pledgebank'; main()"


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """A clock frozen 76 hours before the real now, so pledges made in the test are due for real."""
    return {**app_config, "CLOCK": Clock(frozen_at=datetime.now(UTC) - timedelta(hours=76))}


@pytest.fixture
def proxy(stripe_api: str):
    """A proxy in front of the emulator, for the worker processes."""
    running = StripeProxy(stripe_api).start()
    yield running
    running.stop()


def worker_process(app, proxy: StripeProxy, *, task_lease: int, attempt_lease: int) -> subprocess.Popen:
    """`pledgebank worker --burst` in its own process, configured like production (environment variables)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PLEDGEBANK_")}
    env.update(
        {
            "PLEDGEBANK_DATABASE_URL": app.config["DATABASE_URL"],
            "PLEDGEBANK_SECRET_KEY": app.config["SECRET_KEY"],
            "PLEDGEBANK_MAIL_OUTBOX": app.config["MAIL_OUTBOX"],
            "PLEDGEBANK_BASE_URL": app.config["BASE_URL"],
            "PLEDGEBANK_STRIPE_SECRET_KEY": STRIPE_TEST_KEY,
            "PLEDGEBANK_STRIPE_PUBLISHABLE_KEY": "pk_test_pledgebank_local",
            "PLEDGEBANK_STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
            "PLEDGEBANK_STRIPE_API_BASE": proxy.url,
            "PLEDGEBANK_TASK_WORKER": "separate",
            "PLEDGEBANK_TASK_LEASE": str(task_lease),
            "PLEDGEBANK_PAYMENT_ATTEMPT_LEASE": str(attempt_lease),
        }
    )
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "worker", "--burst"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _heartbeat_age(app) -> float:
    """Seconds since the worker of the running job last said it was alive (procrastinate's heartbeat)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        age = session.scalar(
            text(
                "SELECT extract(epoch FROM now() - w.last_heartbeat) FROM procrastinate_jobs j"
                " JOIN procrastinate_workers w ON w.id = j.worker_id WHERE j.status = 'doing'"
            )
        )
    return float(age or 0)


def message_ids(app) -> Counter[str]:
    """How many outbox files carry each Message-ID."""
    found: Counter[str] = Counter()
    for path in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found[str(message["Message-ID"])] += 1
    return found


def test_a_worker_killed_after_stripe_captured_is_taken_over_without_charging_or_emailing_twice(
    app, sessions, proxy
):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first = pledge_with_card(app, pledge, ann)
    second = pledge_with_card(app, pledge, ben)  # activates the pledge and is held at once
    due(app)  # the first is held too, while collection is open
    assert (signup_state(app, first), signup_state(app, second)) == ("held", "held")
    emails_before = sum(message_ids(app).values())

    dying = worker_process(app, proxy, task_lease=1, attempt_lease=300)
    proxy.kill_after(dying.pid, lambda method, path: method == "POST" and path.endswith("/capture"))
    out, err = dying.communicate(timeout=120)
    assert dying.returncode == -signal.SIGKILL, (out, err)
    (stuck,) = jobs(app, status=JobStatus.RUNNING)
    assert (stuck.kind, stuck.attempts) == ("pledge-card", 1)
    assert pledge_state(app, pledge) == "succeeded"
    # Its heartbeat stops: once it is older than the lease (one second), the job is the next worker's.
    wait_until(lambda: _heartbeat_age(app) > 1.0, within=30, what="the killed worker's heartbeat to age")

    again = worker_process(app, proxy, task_lease=1, attempt_lease=0)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out, err)

    assert jobs(app) == []
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert len(intents(app, first)) == 1 and len(intents(app, second)) == 1
    captures = [seen.idempotency_key for seen in proxy.seen if seen.path.endswith("/capture")]
    assert len(set(captures)) == 2  # one key per payment, however often it was asked
    assert card_payments_by_signup(app) == {first: 1, second: 1}
    assert assert_ledger_matches_stripe(app) == 2000
    ids = message_ids(app)
    assert sum(ids.values()) > emails_before  # the success and receipt emails went out
    assert max(ids.values()) == 1, "an email was written twice"
    assert_books_ok(app)
