"""A webhook that books a payment's outcome before run-due could (run-due died after Stripe answered)
finishes the attempt that made the call, in the same unit of work: no attempt stays started for ever, and
the next run-due has nothing more to do."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.payments.models import PaymentAttempt, PaymentCustomer
from pledgebank.pledges.models import PledgeSignup
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
from tests.helpers.attempts import attempt, deliver_intent, start_attempt


def test_a_capture_whose_run_due_died_is_finished_by_its_webhook(app, sessions):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=1)
    signup = pledge_with_card(app, pledge, ann)  # the target is met: activated, and the card held at once
    assert signup_state(app, signup) == "held"
    app.extensions["pledgebank.clock"].advance(timedelta(hours=73))  # the collection window has ended
    with unit_of_work(sessions) as session:
        intent = session.get(PledgeSignup, signup).payment_intent_id
    key = f"pledge-signup:{signup}:1:capture"
    start_attempt(app, key, "capture", f"signup:{signup}")  # another run-due is capturing this hold...
    app.extensions["pledgebank.gateway"].capture(payment_intent_id=intent, idempotency_key=key)  # ...and dies

    assert due(app) == {"collections ended": 1}  # its lease is live: the capture is not made again
    assert pledge_state(app, pledge) == "succeeded" and signup_state(app, signup) == "held"
    assert deliver_intent(app, "payment_intent.succeeded", intent) == "applied"

    assert signup_state(app, signup) == "captured"
    assert attempt(app, key) == ("finished", intent, "succeeded")
    later = due(app, minutes=10)  # past the lease: nothing left to recover or capture
    assert set(later) <= {"cards released"}, later
    assert [pi.status for pi in intents(app, signup)] == ["succeeded"]
    assert card_payments_by_signup(app) == {signup: 1}
    assert assert_ledger_matches_stripe(app) == 1000
    assert_books_ok(app)


def test_a_hold_whose_run_due_died_is_found_by_its_webhook_through_the_attempt_key(app, sessions):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first = pledge_with_card(app, pledge, ann)
    with unit_of_work(sessions) as session:
        method = session.get(PledgeSignup, first).payment_method_id
        customer_id = session.get(PaymentCustomer, ann).customer_id
    key = f"pledge-signup:{first}:1:hold"
    start_attempt(app, key, "hold", f"signup:{first}")
    second = pledge_with_card(app, pledge, ben)  # activates the pledge; Ben's card is held at once
    hold = app.extensions["pledgebank.gateway"].hold(  # run-due's hold of Ann's card, whose process dies
        customer_id=customer_id,
        payment_method_id=method,
        amount=1000,
        currency="GBP",
        metadata={"attempt": key, "pledge": str(pledge), "signup": str(first)},
        idempotency_key=key,
    )
    assert signup_state(app, first) == "card_saved"  # nothing of the hold is on record

    effect = deliver_intent(app, "payment_intent.amount_capturable_updated", hold.payment_intent_id)
    assert effect == "applied"  # found by the attempt key in its metadata
    assert signup_state(app, first) == "held"
    assert attempt(app, key) == ("finished", hold.payment_intent_id, "authorised")

    due(app, minutes=10)  # past the lease: no second hold
    done = due(app, hours=73)
    assert done["payments captured"] == 2
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert [pi.id for pi in intents(app, first)] == [hold.payment_intent_id]
    with unit_of_work(sessions) as session:
        statuses = session.scalars(select(PaymentAttempt.status))
        assert set(statuses) == {"finished"}
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)
