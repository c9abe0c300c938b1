"""A card payment for a levy charge whose outcome never got recorded (Stripe unreachable, or the process died
after Stripe answered) does not leave the charge stuck: a hardship request waits until it is resolved, and
run-due resolves it once its lease has run out, whether or not the charge is paused or has a card."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.levies.models import Household, LevyCharge
from pledgebank.levies.payments import attempt_key
from pledgebank.payments.gateway import GatewayUnavailable, TestCard
from pledgebank.payments.stripe_gateway import StripeGateway
from tests.factories.levies import (
    active_levy,
    ask_hardship,
    charge_of,
    decide,
    intents_for,
    join_with_card,
    levy_world,
    now_of,
    pay_now,
    record_cash,
)
from tests.factories.pledges import assert_books_ok, balance, due
from tests.helpers.app import STRIPE_TEST_KEY
from tests.helpers.attempts import attempt, charge_dies_after_stripe


def _stripe(app, api_base: str) -> None:
    app.extensions["pledgebank.gateway"] = StripeGateway(
        secret_key=STRIPE_TEST_KEY, webhook_secret="whsec_unused", api_base=api_base, max_retries=0
    )


def declined_once(app, sessions):
    """A charge whose first attempt was declined (its retry is a day away); (chair, member, ann, household,
    charge id)."""
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    home = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.DECLINES_AT_CHARGE)
    due(app)
    charge = charge_of(app, home)
    assert (charge.status, charge.attempts) == ("retrying", 1)
    return chair, member, ann, home, charge.id


def pay_now_while_stripe_is_down(app, stripe_api, charge_id: int, user_id: int) -> str:
    """The resident presses Pay now while Stripe cannot be reached; the key of the attempt left started."""
    _stripe(app, "http://127.0.0.1:9")
    with pytest.raises(GatewayUnavailable):
        pay_now(app, charge_id, user_id)
    _stripe(app, stripe_api)
    key = attempt_key(charge_id, 2)
    assert attempt(app, key)[0] == "started"
    return key


def test_hardship_is_refused_while_a_card_payment_is_in_flight(app, sessions, stripe_api):
    _, _, ann, home, charge_id = declined_once(app, sessions)
    pay_now_while_stripe_is_down(app, stripe_api, charge_id, ann)

    with pytest.raises(Conflict, match="card payment for this charge is going through"):
        ask_hardship(app, charge_id, ann)
    assert charge_of(app, home).paused is False
    assert_books_ok(app)


def test_a_payment_that_never_reached_stripe_is_swept_and_the_charge_can_be_settled(
    app, sessions, stripe_api
):
    chair, member, ann, home, charge_id = declined_once(app, sessions)
    key = pay_now_while_stripe_is_down(app, stripe_api, charge_id, ann)
    with pytest.raises(Conflict, match="going through"):
        record_cash(app, charge_id, chair)  # the payment might still be taken

    done = due(app, minutes=10)  # past the lease; the charge's own retry is still a day away
    assert done["levy card payments resolved"] == 1
    assert attempt(app, key) == ("finished", None, "never reached stripe")
    assert charge_of(app, home).attempts == 2  # the next try takes the next number
    assert len(intents_for(app, charge_id)) == 1  # the first decline only

    request = ask_hardship(app, charge_id, ann)
    decide(app, request, member, approve=False, note="The levy is modest; please pay it.")
    record_cash(app, charge_id, chair)
    assert charge_of(app, home).status == "paid"
    assert_books_ok(app)


def test_a_retry_after_a_payment_that_never_reached_stripe_is_made_under_a_new_number(
    app, sessions, stripe_api
):
    _, _, ann, home, charge_id = declined_once(app, sessions)
    pay_now_while_stripe_is_down(app, stripe_api, charge_id, ann)
    due(app, minutes=10)
    charge = charge_of(app, home)
    due(app, seconds=(charge.next_attempt_at - now_of(app)).total_seconds())
    charge = charge_of(app, home)
    assert charge.attempts == 3 and len(intents_for(app, charge_id)) == 2  # not stuck on a finished key
    assert_books_ok(app)


def test_money_taken_by_a_dead_attempt_pays_a_paused_charge_with_no_card(app, sessions, stripe_api):
    home, number, key, payment = charge_dies_after_stripe(app, sessions, TestCard.SUCCEEDS)
    assert payment.status.value == "succeeded"
    charge = charge_of(app, home)
    with unit_of_work(sessions) as session:
        # Since then collection was paused and the household's card removed: collect never comes back.
        session.get(LevyCharge, charge.id).paused = True
        session.get(Household, home).payment_method_id = None

    done = due(app, minutes=10)
    assert done["levy card payments resolved"] == 1
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via, charge.attempts) == ("paid", "card", number)
    assert attempt(app, key) == ("finished", payment.payment_intent_id, "succeeded")
    assert balance(app, "income:general:levies") == -1000
    assert due(app, minutes=10) == {}
    assert len(intents_for(app, charge.id)) == 1
    assert_books_ok(app)
