"""A webhook about a levy payment whose run-due (or card page) died after Stripe answered books it as the
numbered attempt that made it, and finishes that attempt in the same unit of work: money taken pays the
charge once, a decline counts once and schedules the next attempt, and no attempt stays started."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import TestCard
from pledgebank.payments.models import PaymentAttempt
from tests.factories.levies import (
    charge_of,
    intents_for,
    now_of,
)
from tests.factories.pledges import assert_books_ok, balance, captured_in_stripe, due
from tests.helpers.attempts import attempt, charge_dies_after_stripe, deliver_intent


def test_money_taken_by_a_dead_attempt_is_booked_by_its_webhook_as_that_attempt(app, sessions, stripe_api):
    home, number, key, payment = charge_dies_after_stripe(app, sessions, TestCard.SUCCEEDS)
    assert payment.status.value == "succeeded"

    assert deliver_intent(app, "payment_intent.succeeded", payment.payment_intent_id) == "applied"
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via, charge.attempts) == ("paid", "card", number)
    assert attempt(app, key) == ("finished", payment.payment_intent_id, "succeeded")
    assert due(app, minutes=10) == {}  # past the lease: nothing to recover, nothing charged again
    assert len(intents_for(app, charge.id)) == 1
    gross, fees = captured_in_stripe(app)
    assert gross == 1000 and balance(app, "income:general:levies") == -1000
    assert balance(app, "assets:stripe-clearing") == gross - fees
    assert_books_ok(app)


def test_a_decline_by_a_dead_attempt_is_counted_once_by_its_webhook(app, sessions, stripe_api):
    home, number, key, payment = charge_dies_after_stripe(app, sessions, TestCard.DECLINES_AT_CHARGE)
    assert payment.status.value == "declined"

    assert deliver_intent(app, "payment_intent.payment_failed", payment.payment_intent_id) == "applied"
    charge = charge_of(app, home)
    assert (charge.status, charge.attempts) == ("retrying", number)
    assert attempt(app, key)[:2] == ("finished", payment.payment_intent_id)
    assert due(app, minutes=10) == {}  # the decline is not counted again
    assert charge_of(app, home).attempts == number

    due(app, seconds=(charge.next_attempt_at - now_of(app)).total_seconds())
    # The next retry day: the next attempt is made (this one is not stuck).
    assert charge_of(app, home).attempts == number + 1 and len(intents_for(app, charge.id)) == 2
    with unit_of_work(sessions) as session:
        assert set(session.scalars(select(PaymentAttempt.status))) == {"finished"}
    assert_books_ok(app)
