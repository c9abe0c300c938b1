"""A card payment waiting on the bank's check cannot be completed once the charge is paused for a hardship
request, or once its amount has changed; money that reaches a charge already settled is flagged for a
refund, and a charge's own payment read again is not."""

from __future__ import annotations

import logging

import pytest

from pledgebank.errors import Conflict
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    ask_hardship,
    authenticate,
    charge_of,
    check_card,
    decide,
    intents_for,
    join,
    levy_world,
    record_cash,
    save_card,
)
from tests.factories.pledges import assert_books_ok, captured_in_stripe, due, stripe_client
from tests.helpers.attempts import deliver_intent


def test_an_old_payment_cannot_be_completed_after_the_charge_is_paused_or_reduced(app, sessions, stripe_api):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    home = join(app, levy, ann, "1 Elm Road")
    save_card(app, levy, ann, TestCard.REQUIRES_AUTHENTICATION)
    check_card(app, levy, ann)
    due(app)
    charge = charge_of(app, home)
    assert [pi.status for pi in intents_for(app, charge.id)] == ["requires_action"]

    request = ask_hardship(app, charge.id, ann, amount=400, reason="Short hours this winter.")
    with pytest.raises(Conflict, match="hardship request"):
        authenticate(app, charge.id, ann)
    decide(app, request, member, approve=True, amount=400)
    assert charge_of(app, home).amount_due == 600
    with pytest.raises(Conflict, match="amount due has changed"):
        authenticate(app, charge.id, ann)  # the £10 payment would overpay a £6 charge
    assert captured_in_stripe(app)[0] == 0
    assert [pi.status for pi in intents_for(app, charge.id)] == ["requires_action"]
    assert_books_ok(app)


def _alarms(caplog) -> list[str]:
    """What the levy payments logged (the request and email lines of the same calls aside)."""
    return [r.getMessage() for r in caplog.records if r.name == "pledgebank.levies.payments"]


def test_money_taken_for_a_settled_charge_is_flagged_but_its_own_payment_read_again_is_not(
    app, sessions, stripe_api, caplog
):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    paid = join(app, levy, ann, "1 Elm Road")
    save_card(app, levy, ann)
    waiting = join(app, levy, ben, "2 Elm Road")
    save_card(app, levy, ben, TestCard.REQUIRES_AUTHENTICATION)
    check_card(app, levy, ben)
    due(app)
    assert charge_of(app, paid).status == "paid"
    charge = charge_of(app, waiting)
    assert [pi.status for pi in intents_for(app, charge.id)] == ["requires_action"]
    record_cash(app, charge.id, chair)  # Ben pays in cash; his bank's check is still open at Stripe

    with caplog.at_level(logging.ERROR, logger="pledgebank.levies.payments"):
        own = charge_of(app, paid).payment_intent_id
        assert deliver_intent(app, "payment_intent.succeeded", own) == "applied"
        assert _alarms(caplog) == []  # the card payment that paid the charge, read again: no alarm
        client = stripe_client(app)
        intent = client.v1.payment_intents.retrieve(charge.payment_intent_id)
        client.raw_request(
            "post",
            f"/v1/payment_intents/{intent.id}/_authenticate",
            client_secret=intent.client_secret,
            success="true",
        )
        assert deliver_intent(app, "payment_intent.succeeded", intent.id) == "applied"
    assert _alarms(caplog) == [
        f"money taken for levy charge {charge.id} ({intent.id}) that was already settled: refund it"
    ]
    assert charge_of(app, waiting).paid_via == "cash"
    assert_books_ok(app)
