"""A pledge reaches its threshold with saved cards, collects all-or-nothing, and the books match Stripe."""

import stripe

from pledgebank.ledger import chart
from pledgebank.payments.emulator import stripe_fee
from tests.factories.pledges import (
    FUND,
    assert_books_ok,
    balance,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    signup_state,
)
from tests.helpers.app import STRIPE_TEST_KEY


def test_threshold_met_holds_then_captures_everyone(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=1000)

    first = pledge_with_card(app, pledge, ann)
    assert signup_state(app, first) == "card_saved"
    assert pledge_state(app, pledge) == "open"

    second = pledge_with_card(app, pledge, ben)
    assert pledge_state(app, pledge) == "collecting"
    assert signup_state(app, second) == "held"  # the pledge that activates it is held at once

    done = due(app)
    assert done.get("holds placed") == 1
    assert {signup_state(app, first), signup_state(app, second)} == {"held"}
    assert balance(app, chart.STRIPE_CLEARING) == 0  # nothing taken while holds are open

    assert due(app, hours=71) == {}  # still inside the 72-hour window
    done = due(app, hours=2)
    assert done["collections ended"] == 1 and done["payments captured"] == 2
    assert pledge_state(app, pledge) == "succeeded"
    assert {signup_state(app, first), signup_state(app, second)} == {"captured"}

    fee = stripe_fee(1000)
    assert balance(app, chart.STRIPE_CLEARING) == 2 * (1000 - fee)
    assert balance(app, f"income:{FUND}:pledges") == -2000
    assert balance(app, f"expenses:{FUND}:fees") == 2 * fee
    assert_books_ok(app)

    client = stripe.StripeClient(STRIPE_TEST_KEY, base_addresses={"api": stripe_api})
    captured = [
        pi for pi in client.v1.payment_intents.list(params={"limit": 100}).data if pi.status == "succeeded"
    ]
    assert sum(pi.amount for pi in captured) == -balance(app, f"income:{FUND}:pledges")

    assert any("paid" in mail.subject.lower() for mail in outbox.to("resident0@example.org"))
