"""A hold started for a signup while another run-due is about to charge the same card, on PostgreSQL with
real threads: whichever takes the signup's lock second sees the other, so the card is held or charged, never
both."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.payments.models import AttemptStatus, PaymentAttempt, PaymentCustomer
from pledgebank.pledges.jobs import _end_collections
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.outcomes import apply_payment
from pledgebank.pledges.payments import place_hold
from pledgebank.pledges.signups import lock_signup
from tests.factories.pledges import (
    assert_books_ok,
    card_payments_by_signup,
    due,
    intent_statuses,
    pledge_state,
    signup_state,
)
from tests.helpers.attempts import saved_not_held

pytestmark = pytest.mark.postgres


def _waiting_on_a_lock(sessions) -> bool:
    with unit_of_work(sessions) as session:
        return bool(
            session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
        )


def test_a_charge_waiting_on_the_lock_while_a_hold_is_started_settles_that_hold(app, sessions):
    pledge, first, second = saved_not_held(app, sessions)
    clock = app.extensions["pledgebank.clock"]
    clock.advance(timedelta(hours=73))
    ctx = payments_context(app)
    assert _end_collections(ctx, clock.now()) == 1 and pledge_state(app, pledge) == "succeeded"
    key = f"pledge-signup:{second}:1:hold"
    outcome: dict = {}

    def charger() -> None:
        try:
            outcome["state"] = place_hold(ctx, second, now=clock.now(), charge_now=True)
        except BaseException as error:  # reported by the assertions below
            outcome["error"] = error

    thread = threading.Thread(target=charger)
    with unit_of_work(sessions) as session:
        # A run-due that listed Ben's signup while the pledge was collecting starts its hold, under the
        # signup's lock, while the other run-due is waiting for that lock to charge the same card.
        lock_signup(session, second)
        thread.start()
        deadline = time.monotonic() + 20
        while not _waiting_on_a_lock(sessions) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_a_lock(sessions)
        session.add(
            PaymentAttempt(
                key=key,
                operation="hold",
                subject=f"signup:{second}",
                status=AttemptStatus.STARTED.value,
                started_at=clock.now(),
            )
        )
    thread.join(30)
    assert "error" not in outcome, outcome
    assert outcome["state"] is None  # the hold's lease is live: the charger leaves it to its maker

    with unit_of_work(sessions) as session:
        row = session.get(PledgeSignup, second)
        method, customer_id = row.payment_method_id, session.get(PaymentCustomer, row.user_id).customer_id
    hold = ctx.gateway.hold(
        customer_id=customer_id,
        payment_method_id=method,
        amount=1000,
        currency="GBP",
        metadata={"attempt": key, "pledge": str(pledge), "signup": str(second)},
        idempotency_key=key,
    )
    apply_payment(ctx, second, hold, now=clock.now(), attempt_key=key)
    due(app, minutes=1)
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert intent_statuses(app, second) == ["succeeded"]
    assert card_payments_by_signup(app)[second] == 1
    assert_books_ok(app)
