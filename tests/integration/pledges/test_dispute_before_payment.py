"""A dispute told before the payment it takes from is booked (the payment's own webhook late, or the process
that captured it dead before recording it): the payment is booked first, from Stripe, then the dispute;
the books end as when the events came in order, however often they come, and `ledger verify` passes."""

from __future__ import annotations

import pytest

from tests.factories.pledges import (
    assert_books_ok,
    card_payments_by_signup,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_with_card,
    signup_state,
    stripe_client,
)
from tests.helpers.app import with_stripe
from tests.helpers.refunds import _emulator
from tests.helpers.webhooks import deliver, event, fingerprint, intent_of


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def captured_and_disputed(app, sessions, **names) -> tuple[str, int, list[str]]:
    """A hold captured at Stripe and not yet booked here, then disputed: (slug, signup, the events)."""
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions, **names)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first, second = pledge_with_card(app, pledge, ann), pledge_with_card(app, pledge, ben)
    due(app)
    assert [signup_state(app, s) for s in (first, second)] == ["held", "held"]
    intent = intent_of(app, first)["id"]
    captured = stripe_client(app).v1.payment_intents.capture(intent)
    charge = captured.latest_charge if isinstance(captured.latest_charge, str) else captured.latest_charge.id
    dispute = _emulator(app, "post", "/v1/_test/disputes", charge=charge, amount=600)
    about = {"object": "dispute", "id": dispute["id"]}
    told = [
        event("payment_intent.succeeded", intent_of(app, first)),
        event("charge.dispute.created", about),
        event("charge.dispute.funds_withdrawn", about),
    ]
    return slug, first, told


def test_a_dispute_before_its_payment_is_booked_converges_with_the_in_order_books(app, sessions):
    slug, _, told = captured_and_disputed(app, sessions)
    for payload in told:
        assert deliver(app, payload).get_json()["effect"] == "applied"
    due(app, hours=73)  # the collection ends: the other hold is captured
    in_order = fingerprint(app, slug)
    kinds = [kind for kind, _ in in_order[1]]
    assert kinds.count("card_payment_received") == 2 and kinds.count("dispute_funds_withdrawn") == 1

    other_slug, other, told = captured_and_disputed(app, sessions, name="Oak Row", prefix="oak-")
    dispute_first = [told[1], told[2]]
    effects = [deliver(app, payload).get_json()["effect"] for payload in dispute_first]
    assert effects == ["applied", "applied"]  # not dropped: the payment was booked first, from Stripe
    assert signup_state(app, other) == "captured" and card_payments_by_signup(app)[other] == 1
    for payload in [told[0], *dispute_first, told[0]]:  # the payment's own webhook late, then replays
        assert deliver(app, payload).status_code == 200
    due(app, hours=73)
    assert card_payments_by_signup(app)[other] == 1
    assert fingerprint(app, other_slug) == in_order
    assert_books_ok(app)
