"""A levy charge paid by card is refunded through Stripe: the refund reverses the levy's income in its
fund, the card fee stays spent, and a second refund larger than what is left is refused beside the amount."""

from __future__ import annotations

import pytest

from pledgebank.errors import InvalidInput
from pledgebank.payments.emulator import stripe_fee
from tests.factories.levies import active_levy, charges_of, join_with_card, levy_world
from tests.factories.pledges import assert_books_ok, balance, due
from tests.helpers.refunds import counts, refund


def test_a_levy_card_payment_is_refunded_in_part_then_refused_beyond_what_is_left(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    join_with_card(app, levy, ann, "1 Elm Road")
    assert due(app)["levy charges paid by card"] == 1
    (charge,) = charges_of(app, levy)

    assert refund(app, chair, charge.payment_intent_id, 600).amount == 600
    assert balance(app, "income:general:levies") == -400
    assert balance(app, "assets:stripe-clearing") == 1000 - stripe_fee(1000) - 600
    before = counts(app)
    with pytest.raises(InvalidInput) as refused:
        refund(app, chair, charge.payment_intent_id, 401)
    assert "4.00 GBP" in refused.value.fields["amount"][0]
    assert counts(app) == before
    assert_books_ok(app)
