"""`pledgebank run-due` killed between a Stripe call and the commit that records it: the next run-due finds
the attempt, recovers what Stripe did, and finishes without charging anyone twice.

run-due runs as a real process whose Stripe traffic goes through a proxy; the proxy SIGKILLs it right after
forwarding the chosen response. The process keeps the wall clock, so the pledge is made with the app's clock
frozen 76 hours ago: its 72-hour collection window has ended by the time run-due runs for real.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pledgebank.clock import Clock
from pledgebank.db import unit_of_work
from pledgebank.payments.models import PaymentAttempt
from tests.factories.pledges import (
    assert_books_ok,
    assert_ledger_matches_stripe,
    card_payments_by_signup,
    intents,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    signup_state,
    stripe_client,
)
from tests.helpers.app import STRIPE_TEST_KEY, STRIPE_WEBHOOK_SECRET
from tests.helpers.stripe_proxy import StripeProxy

RUN_DUE = "import sys; from pledgebank.cli import main; sys.argv[0] = 'pledgebank'; main()"
CRASHES = {
    "hold": lambda method, path: method == "POST" and path == "/v1/payment_intents",
    "capture": lambda method, path: method == "POST" and path.endswith("/capture"),
}


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """A clock frozen 76 hours before the real now, so pledges made in the test are due for real."""
    return {**app_config, "CLOCK": Clock(frozen_at=datetime.now(UTC) - timedelta(hours=76))}


@pytest.fixture
def proxy(stripe_api: str):
    """A proxy in front of the emulator, for the run-due processes."""
    running = StripeProxy(stripe_api).start()
    yield running
    running.stop()


def run_due_process(app, proxy: StripeProxy, *, lease: int, crash: str | None = None) -> subprocess.Popen:
    """Run `pledgebank run-due` in its own process, configured like production (environment variables)."""
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
            "PLEDGEBANK_PAYMENT_ATTEMPT_LEASE": str(lease),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_DUE, "run-due"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if crash is not None:
        proxy.kill_after(process.pid, CRASHES[crash])
    return process


def attempts(app) -> dict[str, tuple[str, str | None]]:
    """Every payment attempt: key -> (status, outcome)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.scalars(select(PaymentAttempt))
        return {row.key: (row.status, row.outcome) for row in rows}


def charges_per_intent(app) -> dict[str, int]:
    """How many balance transactions (money actually taken) Stripe has for each captured payment."""
    client = stripe_client(app)
    found: dict[str, int] = {}
    for pi in intents(app):
        charges = client.v1.charges.list(params={"limit": 100}).auto_paging_iter()
        found[pi.id] = sum(1 for c in charges if c.payment_intent == pi.id and c.balance_transaction)
    return found


@pytest.mark.parametrize("crash", ["hold", "capture"])
def test_run_due_killed_after_stripe_answered_recovers_without_charging_twice(app, sessions, proxy, crash):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first = pledge_with_card(app, pledge, ann)  # saved; held by run-due
    second = pledge_with_card(app, pledge, ben)  # activates the pledge and is held at once
    assert (signup_state(app, first), signup_state(app, second)) == ("card_saved", "held")

    dying = run_due_process(app, proxy, lease=300, crash=crash)
    out, err = dying.communicate(timeout=120)
    assert dying.returncode == -signal.SIGKILL, (out, err)
    assert proxy.killed.is_set()

    key = f"pledge-signup:{first}:1:{crash}"
    assert attempts(app)[key] == ("started", None)  # Stripe acted; our record of it never committed
    if crash == "hold":
        assert signup_state(app, first) == "card_saved"
        assert [pi.status for pi in intents(app, first)] == ["requires_capture"]
    else:
        assert pledge_state(app, pledge) == "succeeded" and signup_state(app, first) == "held"
        assert [pi.status for pi in intents(app, first)] == ["succeeded"]
        assert card_payments_by_signup(app) == {}

    again = run_due_process(app, proxy, lease=0)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out, err)
    assert "payments captured" in out

    assert pledge_state(app, pledge) == "succeeded"
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert len(intents(app, first)) == 1 and len(intents(app, second)) == 1  # one PaymentIntent each
    assert set(charges_per_intent(app).values()) == {1}  # each charged once
    assert attempts(app)[key] == ("finished", "authorised" if crash == "hold" else "succeeded")
    assert all(status == "finished" for status, _ in attempts(app).values())
    assert card_payments_by_signup(app) == {first: 1, second: 1}
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)
