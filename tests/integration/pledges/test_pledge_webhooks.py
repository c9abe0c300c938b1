"""POST /stripe/webhook with events signed the way Stripe signs them: bad or old signatures are refused,
duplicates change nothing, order does not matter, and money moved behind our back is recorded once."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.payments.gateway import TestCard
from pledgebank.payments.models import StripeEvent
from pledgebank.pledges import cards
from tests.factories.pledges import (
    FUND,
    assert_books_ok,
    assert_ledger_matches_stripe,
    authenticate_card,
    captured_in_stripe,
    card_payments_by_signup,
    due,
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
from tests.helpers.webhooks import deliver, event, fingerprint, intent_of, signature

ACTION_NEEDED = "Action needed on your pledge: Mend the playground fence"
RECEIPT = "Receipt: your pledge is paid: Mend the playground fence"


def stored_events(app) -> int:
    """How many webhook events the app has stored."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(StripeEvent))


def collecting_pledge(app, sessions, **changes):
    """A pledge of two (target 2) that has activated, with both cards held."""
    slug, chair, people = neighbourhood_with(sessions, **changes)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    held = [pledge_with_card(app, pledge, person) for person in people[:2]]
    due(app)
    assert [signup_state(app, s) for s in held] == ["held", "held"]
    return pledge, held, people


def test_signatures_that_are_wrong_missing_or_old_are_refused(app, sessions, stripe_api):
    _, (first, _), _ = collecting_pledge(app, sessions)
    stripe_client(app).v1.payment_intents.capture(intent_of(app, first)["id"])
    payload = event("payment_intent.succeeded", intent_of(app, first))

    for header in (
        signature(payload, secret="whsec_someone_else"),
        signature(payload + " "),
        "t=1,v1=deadbeef",
        "garbage",
        False,
        signature(payload, at=int(time.time()) - 301),  # Stripe's tolerance is five minutes
    ):
        response = deliver(app, payload, header)
        assert response.status_code == 400, header
        assert response.is_json and response.get_json()["error"] == "invalid_signature"
    bad_json = "{not json"
    assert deliver(app, bad_json).status_code == 400

    assert stored_events(app) == 0 and signup_state(app, first) == "held"  # nothing acted on
    response = deliver(app, payload, signature(payload, at=int(time.time()) - 60))
    assert response.status_code == 200 and response.get_json()["effect"] == "applied"
    assert signup_state(app, first) == "captured"
    assert assert_ledger_matches_stripe(app) == 1000
    assert_books_ok(app)


def test_a_capture_behind_our_back_is_recorded_once_however_often_it_is_told(
    app, sessions, outbox, stripe_api
):
    _, (first, second), _ = collecting_pledge(app, sessions)
    stripe_client(app).v1.payment_intents.capture(intent_of(app, first)["id"])  # in Stripe's dashboard
    payload = event("payment_intent.succeeded", intent_of(app, first))

    response = deliver(app, payload)
    assert response.status_code == 200 and response.get_json() == {"received": True, "effect": "applied"}
    assert signup_state(app, first) == "captured"
    assert card_payments_by_signup(app) == {first: 1}

    again = deliver(app, payload)  # the same event, delivered twice
    assert again.status_code == 200 and again.get_json()["effect"] == "duplicate"
    other = deliver(app, event("payment_intent.succeeded", intent_of(app, first)))  # another id, same news
    assert other.status_code == 200
    assert stored_events(app) == 2
    assert card_payments_by_signup(app) == {first: 1}
    assert subjects(outbox, "resident0@example.org").count(RECEIPT) == 1

    due(app, hours=73)  # the end of the window captures only what is still held
    assert signup_state(app, second) == "captured"
    assert card_payments_by_signup(app) == {first: 1, second: 1}
    assert [pi.status for pi in intents(app)] == ["succeeded", "succeeded"]
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)


def test_a_card_saved_in_the_browser_is_learnt_from_its_webhook(app, sessions, stripe_api):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=1)
    signup = sign(app, pledge, ann)
    started = cards.start_card(
        payments_context(app), signup_id=signup, user_id=ann, now=app.extensions["pledgebank.clock"].now()
    )
    assert started.status == "pending" and started.client_secret
    # Stripe.js confirms the SetupIntent with the card typed on the pledger's device; we hear by webhook.
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    client = stripe_client(app)
    client.v1.setup_intents.confirm(
        started.setup_intent_id, params={"payment_method_data": {"type": "card", "card": card}}
    )
    setup = client.v1.setup_intents.retrieve(started.setup_intent_id).to_dict()
    assert setup["status"] == "succeeded"
    assert signup_state(app, signup) == "card_pending"

    response = deliver(app, event("setup_intent.succeeded", setup))
    assert response.get_json()["effect"] == "applied"
    assert signup_state(app, signup) == "held"  # saved, which activated the pledge, which held it
    assert [pi.status for pi in intents(app, signup)] == ["requires_capture"]
    unknown = {**setup, "id": "seti_unknown"}
    assert deliver(app, event("setup_intent.succeeded", unknown)).get_json()["effect"] == "ignored"
    assert_books_ok(app)


def story(app, sessions, name: str, prefix: str) -> tuple[str, list[int], list[str]]:
    """Holds placed, then changed in Stripe behind our back; return the slug, signups and the events told."""
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions, name=name, prefix=prefix)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first = pledge_with_card(app, pledge, ann)
    careful = sign(app, pledge, cat)
    use_card(app, careful, cat, TestCard.REQUIRES_AUTHENTICATION)
    authenticate_card(app, careful, cat)
    second = pledge_with_card(app, pledge, ben)
    due(app)
    assert [signup_state(app, s) for s in (first, second, careful)] == ["held", "held", "action_needed"]
    client = stripe_client(app)
    told = [event("payment_intent.requires_action", intent_of(app, careful))]
    # The pledger passes the bank check on-session, then someone captures the first hold in the dashboard.
    pending = intent_of(app, careful)
    client.raw_request(
        "post",
        f"/v1/payment_intents/{pending['id']}/_authenticate",
        client_secret=pending["client_secret"],
        success="true",
    )
    told.append(event("payment_intent.amount_capturable_updated", intent_of(app, careful)))
    client.v1.payment_intents.capture(intent_of(app, first)["id"])
    told.append(event("payment_intent.succeeded", intent_of(app, first)))
    return slug, [first, second, careful], told


def test_events_in_reverse_order_converge_on_the_same_books(app, sessions, stripe_api):
    forward_slug, forward, forward_events = story(app, sessions, "Elm Park", "")
    backward_slug, backward, backward_events = story(app, sessions, "Oak Rise", "oak-")

    for payload in forward_events:
        assert deliver(app, payload).get_json()["effect"] == "applied"
    for payload in reversed(backward_events):
        assert deliver(app, payload).status_code == 200

    assert [signup_state(app, s) for s in forward] == ["captured", "held", "held"]
    assert [signup_state(app, s) for s in backward] == ["captured", "held", "held"]
    assert fingerprint(app, forward_slug) == fingerprint(app, backward_slug)

    due(app, hours=73)
    assert [signup_state(app, s) for s in forward + backward] == ["captured"] * 6
    balances, transactions = fingerprint(app, forward_slug)
    assert (balances, transactions) == fingerprint(app, backward_slug)
    assert [kind for kind, _ in transactions] == ["card_payment_received"] * 3
    gross, fees = captured_in_stripe(app)
    # Each book holds half of what Stripe took.
    assert balances[f"assets:stripe-clearing:{FUND}"] * 2 == gross - fees
    assert_books_ok(app)


def test_events_recorded_by_the_emulator_are_consumed(app, sessions, stripe_api):
    _, (first, second), _ = collecting_pledge(app, sessions)
    client = stripe_client(app)
    client.v1.payment_intents.capture(intent_of(app, first)["id"])

    effects = []
    listing = client.v1.events.list(params={"limit": 100})
    recorded = [e.to_dict() for e in listing.auto_paging_iter()]
    kinds = {e["type"] for e in recorded}
    assert {"customer.created", "payment_intent.succeeded"} <= kinds
    for twice in range(2):
        for recorded_event in recorded:
            payload = json.dumps(recorded_event)
            response = deliver(app, payload)
            assert response.status_code == 200
            effects.append((twice, recorded_event["type"], response.get_json()["effect"]))

    assert (0, "payment_intent.succeeded", "applied") in effects
    assert {effect for twice, _, effect in effects if twice} == {"duplicate"}
    assert {effect for _, kind, effect in effects if kind == "customer.created"} <= {"ignored", "duplicate"}
    assert stored_events(app) == len(recorded)
    assert signup_state(app, first) == "captured" and signup_state(app, second) == "held"
    assert card_payments_by_signup(app) == {first: 1}
    assert assert_ledger_matches_stripe(app) == 1000
    assert_books_ok(app)


@pytest.mark.parametrize("kind", ["payment_intent.payment_failed", "payment_intent.canceled"])
def test_events_about_unknown_objects_are_stored_and_ignored(app, sessions, stripe_api, kind):
    payload = event(kind, {"id": "pi_nobody_knows", "object": "payment_intent", "status": "canceled"})
    assert deliver(app, payload).get_json()["effect"] == "ignored"
    assert deliver(app, payload).get_json()["effect"] == "duplicate"
    assert stored_events(app) == 1


def test_a_hold_released_at_stripe_while_collecting_stops_counting(app, sessions, outbox, stripe_api):
    pledge, (first, second), _ = collecting_pledge(app, sessions)
    stripe_client(app).v1.payment_intents.cancel(intent_of(app, first)["id"])  # in Stripe's dashboard
    response = deliver(app, event("payment_intent.canceled", intent_of(app, first)))
    assert response.get_json()["effect"] == "applied"
    assert signup_state(app, first) == "action_needed"  # no money held for it now: asked to fix it
    assert ACTION_NEEDED in subjects(outbox, "resident0@example.org")

    due(app, hours=73)  # not fixed: one hold of the two needed, so nobody pays
    assert pledge_state(app, pledge) == "failed"
    assert (signup_state(app, first), signup_state(app, second)) == ("released", "released")
    assert {pi.status for pi in intents(app)} == {"canceled"}
    assert captured_in_stripe(app) == (0, 0) and card_payments_by_signup(app) == {}
    assert_books_ok(app)
