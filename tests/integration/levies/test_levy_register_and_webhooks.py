"""Importing a household register (all or nothing, problems by line, duplicates refused), and Stripe
webhooks about levy payments and cards: money taken or a card saved behind our back is applied once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.errors import Forbidden
from pledgebank.jobs import payments_context
from pledgebank.levies import cards, households
from pledgebank.levies.models import Household, LevyHousehold
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    charge_of,
    charges_of,
    check_card,
    confirm_owed,
    household,
    join,
    join_with_card,
    levy_world,
    now_of,
    raised_in_ledger,
)
from tests.factories.pledges import assert_books_ok, balance, captured_in_stripe, due, stripe_client
from tests.helpers.webhooks import deliver, event

GOOD = 'address,band\n1 Elm Road,A\n2 Elm Road,C\n"Flat 1, 3 Elm Road",H\n'


def import_register(app, levy_id: int, actor_id: int, text: str) -> int:
    """The committee imports a register; how many households were added."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return households.import_register(
            session, actor_id=actor_id, levy_id=levy_id, text=text, now=now_of(app), zone="Europe/London"
        )


def counts(app) -> tuple[int, int]:
    """How many households and levy liabilities are stored."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return (
            session.scalar(select(func.count()).select_from(Household)),
            session.scalar(select(func.count()).select_from(LevyHousehold)),
        )


def test_a_good_register_is_imported_and_charged(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=900)
    with pytest.raises(Forbidden):
        import_register(app, levy, ann, GOOD)
    assert import_register(app, levy, member, GOOD) == 3
    assert counts(app) == (3, 3)
    assert join(app, levy, ann, "1 elm rd", "A") is not None  # a resident finds their imported household
    assert counts(app) == (3, 3)
    due(app)
    assert sorted(c.amount for c in charges_of(app, levy)) == [600, 800, 1800]
    assert raised_in_ledger(app) == 3200
    assert_books_ok(app)


def test_a_register_with_bad_rows_imports_nothing_and_lists_every_line(app, sessions):
    slug, chair, member, _ = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    bad = "address,band\n1 Elm Road,A\n,B\n3 Elm Road,Z\n1 elm rd.,A\n5 Elm Road,B\n"
    with pytest.raises(households.RegisterRejected) as rejected:
        import_register(app, levy, member, bad)
    assert [(p.line, p.message) for p in rejected.value.problems] == [
        (3, "The address is missing."),
        (4, "The band must be one of A to H, not 'Z'."),
        (5, "The same household as line 2."),
    ]
    assert rejected.value.fields["file"][0] == "Line 3: The address is missing."
    assert counts(app) == (0, 0)


def test_a_household_already_in_the_levy_is_refused_as_a_duplicate(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "2 Elm Road", "C")
    with pytest.raises(households.RegisterRejected) as rejected:
        import_register(app, levy, member, "address,band\n1 Elm Road,A\n2 ELM ROAD,C\n4 Elm Road,D\n")
    assert [(p.line, p.message) for p in rejected.value.problems] == [
        (3, "2 Elm Road is already in this levy (a duplicate household).")
    ]
    other = active_levy(app, slug, chair, member, name="Garden square")
    with pytest.raises(households.RegisterRejected) as rejected:
        import_register(app, other, member, "address,band\n2 Elm Road,B\n")
    assert rejected.value.problems[0].message == "2 Elm Road is registered in band C, not B."
    assert counts(app) == (1, 1)  # nothing from either file


def test_a_payment_confirmed_behind_our_back_is_applied_once_by_webhook(app, sessions, stripe_api):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.REQUIRES_AUTHENTICATION)
    check_card(app, levy, ann)
    due(app)
    charge = charge_of(app, home)
    assert charge.status == "retrying"
    client = stripe_client(app)
    intent = client.v1.payment_intents.retrieve(charge.payment_intent_id)
    client.raw_request(
        "post",
        f"/v1/payment_intents/{intent.id}/_authenticate",
        client_secret=intent.client_secret,
        success="true",
    )
    payload = event("payment_intent.succeeded", client.v1.payment_intents.retrieve(intent.id).to_dict())
    first = deliver(app, payload)
    assert first.status_code == 200 and first.get_json()["effect"] == "applied"
    assert deliver(app, payload).get_json()["effect"] == "duplicate"
    again = event("payment_intent.succeeded", client.v1.payment_intents.retrieve(intent.id).to_dict())
    assert deliver(app, again).get_json()["effect"] == "applied"  # another event id: read, but no new money
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via) == ("paid", "card")
    gross, fees = captured_in_stripe(app)
    assert gross == 1000 and balance(app, "income:general:levies") == -1000
    assert balance(app, "assets:stripe-clearing") == gross - fees
    assert due(app, days=1) == {}  # nothing is retried on a paid charge
    assert_books_ok(app)


def test_a_household_card_saved_in_the_browser_is_learnt_from_its_webhook_and_pays_what_is_confirmed(
    app, sessions, stripe_api
):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join(app, levy, ann, "1 Elm Road")
    due(app)
    assert charge_of(app, home).status == "due"  # no card yet: reminded, not charged
    started = cards.start_card(payments_context(app), levy_id=levy, user_id=ann, now=now_of(app))
    assert started.status == "pending" and started.client_secret
    # Stripe.js confirms the SetupIntent with the card typed on the resident's device; we hear by webhook.
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    client = stripe_client(app)
    client.v1.setup_intents.confirm(
        started.setup_intent_id, params={"payment_method_data": {"type": "card", "card": card}}
    )
    setup = client.v1.setup_intents.retrieve(started.setup_intent_id).to_dict()
    payload = event("setup_intent.succeeded", setup)
    assert deliver(app, payload).get_json()["effect"] == "applied"
    assert household(app, home).card_last4 == "4242" and household(app, home).payer_id == ann
    assert charge_of(app, home).status == "due"  # saved for this levy; nothing is taken unconfirmed
    assert deliver(app, payload).get_json()["effect"] == "duplicate"
    assert captured_in_stripe(app)[0] == 0
    assert confirm_owed(app, home, ann).paid == 1
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via) == ("paid", "card")  # what was owed, taken once confirmed
    assert captured_in_stripe(app)[0] == 1000
    assert_books_ok(app)
