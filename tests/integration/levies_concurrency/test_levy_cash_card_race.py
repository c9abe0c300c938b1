"""Cash recorded by the treasurer while run-due is about to charge the same levy charge's card, on
PostgreSQL with real threads: the card is not charged, and the books show the cash once."""

from __future__ import annotations

import threading

import pytest

from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.levies import charges
from pledgebank.levies.payments import collect
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    charge_of,
    intents_for,
    join_with_card,
    levy_world,
    now_of,
)
from tests.factories.pledges import assert_books_ok, due

pytestmark = pytest.mark.postgres


def test_cash_recorded_while_a_card_attempt_is_being_claimed_stops_the_card(app, sessions, stripe_api):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    home = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.DECLINES_AT_CHARGE)
    due(app)  # raised, the card declined once: waiting for a retry
    charge = charge_of(app, home)
    assert charge.status == "retrying" and len(intents_for(app, charge.id)) == 1

    locked, outcome = threading.Event(), {}

    def treasurer() -> None:
        with unit_of_work(sessions) as session:
            charges.get_charge(session, charge.id, lock=True)  # the treasurer's request holds the charge...
            locked.set()
            threading.Event().wait(1.0)  # ...while run-due reaches the same charge
            charges.record_payment(
                session,
                actor_id=chair,
                charge_id=charge.id,
                into="cash",
                now=now_of(app),
                zone=app.config["TIMEZONE"],
            )

    def runner() -> None:
        locked.wait(10)
        outcome["state"] = collect(payments_context(app), charge.id, now=now_of(app))

    threads = [threading.Thread(target=treasurer), threading.Thread(target=runner)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome == {"state": None}  # the attempt was not made: the charge was paid by then
    charge = charge_of(app, home)
    assert (charge.status, charge.paid_via) == ("paid", "cash")
    assert len(intents_for(app, charge.id)) == 1  # no second card payment
    assert_books_ok(app)
