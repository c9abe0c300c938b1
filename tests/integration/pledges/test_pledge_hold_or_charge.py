"""A signup's card is either held (while the pledge is collecting) or charged (once it has succeeded), never
both: a run-due that listed the signup for a hold while the pledge was collecting does not hold the card
once another run-due has ended collection and started charging it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.payments.gateway import GatewayUnavailable
from pledgebank.payments.models import PaymentAttempt
from pledgebank.payments.stripe_gateway import StripeGateway
from pledgebank.pledges.jobs import _end_collections
from pledgebank.pledges.payments import place_hold
from tests.factories.pledges import (
    assert_books_ok,
    card_payments_by_signup,
    due,
    intent_statuses,
    pledge_state,
    signup_state,
)
from tests.helpers.app import STRIPE_TEST_KEY
from tests.helpers.attempts import saved_not_held


def _stripe(app, api_base: str) -> None:
    app.extensions["pledgebank.gateway"] = StripeGateway(
        secret_key=STRIPE_TEST_KEY, webhook_secret="whsec_unused", api_base=api_base, max_retries=0
    )


def attempt_status(app, key: str) -> str | None:
    """The status of the attempt under this key; None when there is none."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(PaymentAttempt.status).where(PaymentAttempt.key == key))


def test_a_hold_listed_while_collecting_is_not_placed_once_the_card_is_being_charged(
    app, sessions, stripe_api
):
    pledge, first, second = saved_not_held(app, sessions)
    # Another run-due ends collection and starts charging Ben's card; Stripe does not answer it yet.
    clock = app.extensions["pledgebank.clock"]
    clock.advance(timedelta(hours=73))
    assert _end_collections(payments_context(app), clock.now()) == 1
    assert pledge_state(app, pledge) == "succeeded"
    _stripe(app, "http://127.0.0.1:9")
    with pytest.raises(GatewayUnavailable):
        place_hold(payments_context(app), second, now=clock.now(), charge_now=True)
    _stripe(app, stripe_api)
    charge_key = f"pledge-signup:{second}:1:charge"
    assert attempt_status(app, charge_key) == "started"

    # The first run-due reaches the hold it listed while the pledge was collecting.
    assert place_hold(payments_context(app), second, now=clock.now()) is None
    assert intent_statuses(app, second) == []

    due(app, minutes=10)  # past the lease: the charge is recovered (made now), Ann's capture too
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert intent_statuses(app, second) == ["succeeded"]
    assert card_payments_by_signup(app)[first] == card_payments_by_signup(app)[second] == 1
    assert due(app, minutes=10) == {}
    assert_books_ok(app)


def test_a_charge_after_a_hold_started_under_the_lock_settles_that_hold(app, sessions, stripe_api):
    _, first, second = saved_not_held(app, sessions)
    # A run-due starts Ben's hold while the pledge is collecting; Stripe does not answer it.
    _stripe(app, "http://127.0.0.1:9")
    now = app.extensions["pledgebank.clock"].now()
    with pytest.raises(GatewayUnavailable):
        place_hold(payments_context(app), second, now=now)
    _stripe(app, stripe_api)
    hold_key = f"pledge-signup:{second}:1:hold"
    assert attempt_status(app, hold_key) == "started"

    due(app, hours=73)  # collection ends; the hold's lease is long over: the hold is made and captured
    due(app, minutes=1)
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert attempt_status(app, f"pledge-signup:{second}:1:charge") is None
    assert intent_statuses(app, second) == ["succeeded"]
    assert card_payments_by_signup(app)[first] == card_payments_by_signup(app)[second] == 1
    assert_books_ok(app)
