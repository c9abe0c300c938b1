"""Collection when things go wrong at Stripe: a hold gone before capture, Stripe unreachable, and a hold
made by a process that died before recording it (for a signup that has since moved on, or one whose pledge
has succeeded since)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.payments.models import AttemptStatus, PaymentAttempt, PaymentCustomer
from pledgebank.payments.stripe_gateway import StripeGateway
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.services import cancel_pledge, get_pledge
from tests.factories.pledges import (
    assert_books_ok,
    card_payments_by_signup,
    due,
    intent_statuses,
    intents,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    sign,
    signup_state,
    stripe_client,
    subjects,
    use_card,
)
from tests.helpers.app import STRIPE_TEST_KEY


def _intent_of(app, signup_id: int) -> str:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(PledgeSignup, signup_id).payment_intent_id


def test_a_hold_released_at_stripe_before_capture_lapses_and_nothing_is_taken(app, sessions, outbox):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=1)
    first = pledge_with_card(app, pledge, ann)
    second = pledge_with_card(app, pledge, ben)
    assert {signup_state(app, first), signup_state(app, second)} == {"held"}
    # The bank or the dashboard releases Ben's hold and no webhook reaches us.
    stripe_client(app).v1.payment_intents.cancel(_intent_of(app, second))

    done = due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"
    assert done["payments captured"] == 1
    assert signup_state(app, first) == "captured"
    assert signup_state(app, second) == "lapsed"  # not left "held" for ever
    assert intent_statuses(app, second) == ["canceled"]
    assert "Your payment could not be taken: Mend the playground fence" in subjects(
        outbox, "resident1@example.org"
    )
    assert due(app, hours=1) == {}  # nothing left to retry
    assert_books_ok(app)


def test_stripe_unreachable_postpones_card_work_and_the_rest_still_happens(app, sessions, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    stuck = make_pledge(app, slug, chair, target_pledgers=1)
    pledge_with_card(app, stuck, ann)  # activates: a hold to capture at the end of the window
    lonely = make_pledge(
        app,
        slug,
        chair,
        target_pledgers=2,
        deadline=app.extensions["pledgebank.clock"].now() + timedelta(days=2),
    )
    pledge_with_card(app, lonely, ben)  # a saved card to release when this pledge fails
    app.extensions["pledgebank.gateway"] = StripeGateway(
        secret_key=STRIPE_TEST_KEY,
        webhook_secret="whsec_unused",
        api_base="http://127.0.0.1:9",
        max_retries=0,
    )

    done = due(app, hours=73)
    assert done["pledges failed at deadline"] == 1  # the deadline is decided without Stripe
    assert done["collections ended"] == 1
    assert done["card work postponed (Stripe unreachable)"] >= 2  # the capture and the card release
    assert pledge_state(app, stuck) == "succeeded" and pledge_state(app, lonely) == "failed"

    app.extensions["pledgebank.gateway"] = StripeGateway(
        secret_key=STRIPE_TEST_KEY, webhook_secret="whsec_unused", api_base=stripe_api, max_retries=0
    )
    done = due(app, minutes=10)  # past the attempt lease: the postponed capture is recovered
    assert done["payments captured"] == 1
    assert done["cards released"] >= 1
    assert_books_ok(app)


def test_a_hold_recorded_by_nobody_is_released_once_its_signup_has_moved_on(app, sessions):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    signup = pledge_with_card(app, pledge, ann)
    sessions = app.extensions["pledgebank.sessions"]
    clock = app.extensions["pledgebank.clock"]
    with unit_of_work(sessions) as session:
        row = session.get(PledgeSignup, signup)
        key = f"pledge-signup:{row.id}:{row.round}:hold"
        method, customer_id = row.payment_method_id, session.get(PaymentCustomer, ann).customer_id
        # What a process that died after Stripe answered leaves: the attempt, and a hold nobody recorded.
        session.add(
            PaymentAttempt(
                key=key,
                operation="hold",
                subject=f"signup:{row.id}",
                status=AttemptStatus.STARTED.value,
                started_at=clock.now(),
            )
        )
    hold = app.extensions["pledgebank.gateway"].hold(
        customer_id=customer_id,
        payment_method_id=method,
        amount=1000,
        currency="GBP",
        metadata={"attempt": key, "pledge": str(pledge), "signup": str(signup)},
        idempotency_key=key,
    )
    assert hold.status.value == "authorised"

    with unit_of_work(sessions) as session:
        cancel_pledge(
            session,
            actor_id=chair,
            pledge=get_pledge(session, pledge),
            reason="The council fixed it.",
            now=clock.now(),
        )
    done = due(app, minutes=10)  # past the attempt lease
    assert done["abandoned payments settled"] == 1
    assert signup_state(app, signup) == "released"
    assert stripe_client(app).v1.payment_intents.retrieve(hold.payment_intent_id).status == "canceled"
    with unit_of_work(sessions) as session:
        assert session.scalar(select(PaymentAttempt.status).where(PaymentAttempt.key == key)) == "finished"
    assert_books_ok(app)


def test_a_hold_left_unrecorded_before_success_is_recovered_not_charged_again(app, sessions):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=1)
    first = pledge_with_card(app, pledge, ann)  # activates; Ann's card is held
    second = sign(app, pledge, ben)
    clock = app.extensions["pledgebank.clock"]
    clock.advance(timedelta(hours=72, minutes=-1))  # a minute before collection ends
    key = f"pledge-signup:{second}:1:hold"
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        # Ben saves his card; the hold it starts reaches Stripe, then its process dies.
        session.add(
            PaymentAttempt(
                key=key,
                operation="hold",
                subject=f"signup:{second}",
                status=AttemptStatus.STARTED.value,
                started_at=clock.now(),
            )
        )
    use_card(app, second, ben)
    assert signup_state(app, second) == "card_saved"
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        method = session.get(PledgeSignup, second).payment_method_id
        customer_id = session.get(PaymentCustomer, ben).customer_id
    hold = app.extensions["pledgebank.gateway"].hold(
        customer_id=customer_id,
        payment_method_id=method,
        amount=1000,
        currency="GBP",
        metadata={"attempt": key, "pledge": str(pledge), "signup": str(second)},
        idempotency_key=key,
    )

    due(app, minutes=2)  # succeeded while the hold's lease is live: Ben's card is not charged meanwhile
    assert pledge_state(app, pledge) == "succeeded" and signup_state(app, second) == "card_saved"
    due(app, minutes=10)  # past the lease: the hold is found and recovered, not followed by a charge
    due(app, minutes=1)  # and captured
    assert (signup_state(app, first), signup_state(app, second)) == ("captured", "captured")
    assert [pi.id for pi in intents(app, second)] == [hold.payment_intent_id]
    assert intent_statuses(app, second) == ["succeeded"]
    assert card_payments_by_signup(app) == {first: 1, second: 1}
    assert_books_ok(app)
