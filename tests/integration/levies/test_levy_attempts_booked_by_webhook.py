"""A webhook about a levy payment whose run-due (or card page) died after Stripe answered books it as the
numbered attempt that made it, and finishes that attempt in the same unit of work: money taken pays the
charge once, a decline counts once and schedules the next attempt, and no attempt stays started."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.levies.payments import attempt_key
from pledgebank.payments.gateway import TestCard
from pledgebank.payments.models import PaymentAttempt, PaymentCustomer
from tests.integration.levies.levy_support import (
    active_levy,
    charge_of,
    household,
    intents_for,
    join,
    levy_world,
    now_of,
    save_card,
)
from tests.integration.pledges.test_pledge_attempts_booked_by_webhook import (
    attempt,
    deliver_intent,
    start_attempt,
)
from tests.pledge_support import assert_books_ok, balance, captured_in_stripe, due


def charge_dies_after_stripe(app, sessions, card: TestCard):
    """A charge raised before the household had a card; saving one starts attempt 1, whose call reaches
    Stripe and whose process dies before recording it. (household, attempt number, its key, the payment)."""
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    home = join(app, levy, ann, "1 Elm Road")
    due(app)  # raised; no card yet
    charge = charge_of(app, home)
    number = charge.attempts + 1  # the reminders sent so far are numbered attempts too
    key = attempt_key(charge.id, number)
    start_attempt(app, key, "charge", f"levy-charge:{charge.id}")  # the call is being made...
    save_card(app, levy, ann, card)  # ...so saving the card does not make it a second time
    with unit_of_work(sessions) as session:
        customer_id = session.get(PaymentCustomer, ann).customer_id
    payment = app.extensions["pledgebank.gateway"].charge(
        customer_id=customer_id,
        payment_method_id=household(app, home).payment_method_id,
        amount=1000,
        currency="GBP",
        metadata={"attempt": key, "levy": str(levy), "levy_charge": str(charge.id)},
        idempotency_key=key,
    )
    assert charge_of(app, home).attempts == number - 1  # nothing of the call is on record
    return home, number, key, payment


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
