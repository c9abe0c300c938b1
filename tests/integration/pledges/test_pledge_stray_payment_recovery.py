"""Money taken by an attempt from an earlier round, recorded by nobody (its process died), for a signup that
has since started again with another card and is held: the sweep does not book that payment as the signup's
(it is not), asks once for it to be refunded, and the signup's own hold is captured as usual."""

from __future__ import annotations

import logging

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import TestCard
from pledgebank.payments.models import PaymentAttempt, PaymentCustomer
from pledgebank.pledges.models import PledgeSignup
from tests.factories.pledges import (
    assert_books_ok,
    card_payments_by_signup,
    due,
    intent_statuses,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    replace_card,
    signup_state,
)
from tests.helpers.attempts import attempt, start_attempt


def test_a_stray_payment_from_an_old_round_is_flagged_once_not_booked_over_the_hold(app, sessions, caplog):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=1)
    signup = pledge_with_card(app, pledge, ann, TestCard.DECLINES_AT_CHARGE)
    assert signup_state(app, signup) == "action_needed"
    stray_key = f"pledge-signup:{signup}:1:charge"
    start_attempt(app, stray_key, "charge", f"signup:{signup}")  # made by a process that then died
    replace_card(app, signup, ann, TestCard.SUCCEEDS)  # round 2: held with the new card
    assert signup_state(app, signup) == "held"
    with unit_of_work(sessions) as session:
        row = session.get(PledgeSignup, signup)
        method, held = row.payment_method_id, row.payment_intent_id
        customer_id = session.get(PaymentCustomer, ann).customer_id
    stray = app.extensions["pledgebank.gateway"].charge(
        customer_id=customer_id,
        payment_method_id=method,
        amount=1000,
        currency="GBP",
        metadata={"attempt": stray_key, "pledge": str(pledge), "signup": str(signup)},
        idempotency_key=stray_key,
    )
    assert stray.status.value == "succeeded"

    with caplog.at_level(logging.ERROR, logger="pledgebank.pledges.recovery"):
        done = due(app, minutes=10)  # past the stray attempt's lease
        assert due(app, minutes=10) == {}
    assert done["abandoned payments settled"] == 1
    refunds = [r.getMessage() for r in caplog.records if "refund" in r.getMessage()]
    assert len(refunds) == 1 and stray.payment_intent_id in refunds[0]
    with unit_of_work(sessions) as session:
        row = session.get(PledgeSignup, signup)
        assert (row.status, row.payment_intent_id) == ("held", held)  # its own hold, not the stray money
        assert set(session.scalars(select(PaymentAttempt.status))) == {"finished"}
    assert card_payments_by_signup(app) == {}
    assert attempt(app, stray_key) == ("finished", stray.payment_intent_id, "succeeded: refund needed")

    due(app, hours=73)  # collection ends: the signup's own hold is captured
    assert pledge_state(app, pledge) == "succeeded" and signup_state(app, signup) == "captured"
    assert intent_statuses(app, signup)[-2:] == ["succeeded", "succeeded"]  # the stray, then the hold
    assert card_payments_by_signup(app) == {signup: 1}
    assert_books_ok(app)
