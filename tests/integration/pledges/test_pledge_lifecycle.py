"""A pledge's life around the threshold, against the emulator: late pledges, withdrawing, the deadline, the
committee cancelling, free amounts with a money target, and the cap on people."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.services import cancel_pledge, get_pledge
from pledgebank.pledges.states import InvalidTransition
from tests.factories.pledges import (
    FUND,
    assert_books_ok,
    assert_ledger_matches_stripe,
    balance,
    captured_in_stripe,
    card_payments_by_signup,
    due,
    intents,
    ledger_kinds,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    record_cash,
    sign,
    signup_state,
    stripe_client,
    subjects,
    use_card,
    withdraw,
)

FAILED = "Target not reached: nobody will be charged: Mend the playground fence"
RECEIPT = "Receipt: your pledge is paid: Mend the playground fence"
CANCELLED = "Pledge cancelled: nobody will be charged: Mend the playground fence"


def payment_method_of(app, signup_id: int) -> str | None:
    """The saved card on the signup, if any."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(PledgeSignup, signup_id).payment_method_id


def attached_to(app, payment_method_id: str) -> str | None:
    """The customer a saved card is attached to in the emulator (None once released)."""
    return stripe_client(app).v1.payment_methods.retrieve(payment_method_id).customer


def cancel(app, pledge_id: int, actor_id: int, reason: str) -> None:
    """The committee cancels the pledge."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        pledge = get_pledge(session, pledge_id)
        cancel_pledge(session, actor_id=actor_id, pledge=pledge, reason=reason, now=now)


def test_a_late_pledge_after_success_is_charged_at_once(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    early = [pledge_with_card(app, pledge, person) for person in (ann, ben)]
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"

    late = pledge_with_card(app, pledge, cat)
    assert signup_state(app, late) == "captured"
    (payment,) = intents(app, late)
    assert (payment.status, payment.capture_method, payment.amount) == ("succeeded", "automatic", 1000)
    assert RECEIPT in subjects(outbox, "resident2@example.org")
    assert due(app).get("late pledges charged") is None  # nothing left to do for it
    assert card_payments_by_signup(app) == dict.fromkeys([*early, late], 1)
    assert assert_ledger_matches_stripe(app) == 3000
    assert balance(app, f"income:{FUND}:pledges") == -3000
    assert_books_ok(app)


def test_withdrawing_before_activation_and_not_after(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    card = pledge_with_card(app, pledge, ann)
    cash = sign(app, pledge, ben, method="cash")
    record_cash(app, cash, chair)
    assert pledge_state(app, pledge) == "collecting"  # a saved card and received cash make two

    with pytest.raises(Conflict):
        withdraw(app, pledge, ann)
    with pytest.raises(Conflict):
        withdraw(app, pledge, ben)
    assert (signup_state(app, card), signup_state(app, cash)) == ("card_saved", "cash_received")
    due(app)
    assert signup_state(app, card) == "held"  # run-due holds the cards of a pledge that activated
    assert balance(app, "liabilities:pledges-held") == -1000
    assert_books_ok(app)


def test_withdrawn_pledges_give_back_cash_and_release_the_card(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=3)
    card = pledge_with_card(app, pledge, ann)
    cash = sign(app, pledge, ben, method="cash")
    record_cash(app, cash, chair)
    method = payment_method_of(app, card)
    assert attached_to(app, method) is not None

    withdraw(app, pledge, ann)
    withdraw(app, pledge, ben)
    assert (signup_state(app, card), signup_state(app, cash)) == ("withdrawn", "cash_returned")
    assert "Pledge withdrawn: Mend the playground fence" in subjects(outbox, "resident0@example.org")
    assert ledger_kinds(app) == {"pledge_cash_held": 1, "pledge_cash_returned": 1}
    assert balance(app, "liabilities:pledges-held") == 0 and balance(app, "assets:cash") == 0
    with pytest.raises(NotFound):
        withdraw(app, pledge, ann)

    assert due(app).get("cards released") == 1
    assert attached_to(app, method) is None and payment_method_of(app, card) is None
    assert intents(app) == []

    # Changing one's mind again: a new round, a new card, and it counts.
    again = sign(app, pledge, ann)
    assert again == card and signup_state(app, card) == "card_pending"
    use_card(app, card, ann)
    assert signup_state(app, card) == "card_saved"
    assert_books_ok(app)


def test_deadline_passes_without_the_target(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, cat, dan) = neighbourhood_with(sessions, residents=4)
    pledge = make_pledge(app, slug, chair, target_pledgers=4)
    saved = [pledge_with_card(app, pledge, person) for person in (ann, ben)]
    pending = sign(app, pledge, cat)  # never saved a card
    cash = sign(app, pledge, dan, method="cash")
    record_cash(app, cash, chair)
    methods = [payment_method_of(app, signup) for signup in saved]

    assert due(app, days=9) == {}  # a day before the deadline: nothing to do
    done = due(app, days=1)
    assert done["pledges failed at deadline"] == 1
    assert pledge_state(app, pledge) == "failed"
    assert [signup_state(app, s) for s in saved] == ["released", "released"]
    assert signup_state(app, pending) == "released"
    assert signup_state(app, cash) == "cash_returned"
    assert [attached_to(app, method) for method in methods] == [None, None]  # saved cards let go
    assert intents(app) == [] and captured_in_stripe(app) == (0, 0)  # nobody charged
    for n in range(4):
        assert subjects(outbox, f"resident{n}@example.org").count(FAILED) == 1
    assert ledger_kinds(app) == {"pledge_cash_held": 1, "pledge_cash_returned": 1}
    assert balance(app, "liabilities:pledges-held") == 0
    with pytest.raises(Conflict):
        sign(app, pledge, ann)  # closed
    assert due(app) == {}  # and nothing more to do, however often run-due runs
    assert_books_ok(app)


def test_committee_cancels_an_open_pledge(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=3)
    card = pledge_with_card(app, pledge, ann)
    cash = sign(app, pledge, ben, method="cash")
    record_cash(app, cash, chair)
    method = payment_method_of(app, card)

    with pytest.raises(InvalidInput):
        cancel(app, pledge, chair, "  ")
    with pytest.raises(Forbidden):
        cancel(app, pledge, cat, "I changed my mind")
    cancel(app, pledge, chair, "The council is mending the fence after all.")
    assert pledge_state(app, pledge) == "cancelled"
    assert CANCELLED in subjects(outbox, "resident0@example.org")
    assert CANCELLED in subjects(outbox, "resident1@example.org")
    assert CANCELLED not in subjects(outbox, "resident2@example.org")  # never pledged

    done = due(app)
    assert done["cash returned"] == 1 and done["pledges released"] == 1
    assert (signup_state(app, card), signup_state(app, cash)) == ("released", "cash_returned")
    assert attached_to(app, method) is None
    assert intents(app) == []
    with pytest.raises(InvalidTransition):
        cancel(app, pledge, chair, "Again")
    assert_books_ok(app)


def test_committee_cannot_cancel_once_collecting(app, sessions, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    for person in (ann, ben):
        pledge_with_card(app, pledge, person)
    with pytest.raises(InvalidTransition):
        cancel(app, pledge, chair, "Too late for this")
    assert pledge_state(app, pledge) == "collecting"


def test_free_amounts_above_a_minimum_reach_a_money_target(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(
        app, slug, chair, amount_kind="minimum", amount=500, target_pledgers=None, target_amount=3000
    )
    with pytest.raises(InvalidInput):
        sign(app, pledge, ann, amount=499)
    first = sign(app, pledge, ann, amount=1000)
    use_card(app, first, ann)
    second = sign(app, pledge, ben, amount=1500)
    use_card(app, second, ben)
    assert pledge_state(app, pledge) == "open"  # two people, but only £25 of £30
    third = sign(app, pledge, cat, amount=500)
    use_card(app, third, cat)
    assert pledge_state(app, pledge) == "collecting"

    due(app)
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"
    assert sorted(pi.amount for pi in intents(app)) == [500, 1000, 1500]
    assert assert_ledger_matches_stripe(app) == 3000
    assert balance(app, f"income:{FUND}:pledges") == -3000
    assert_books_ok(app)


def test_a_full_pledge_refuses_more_until_someone_withdraws(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=3, cap=3)
    sign(app, pledge, chair)
    sign(app, pledge, ann)
    sign(app, pledge, ben, method="cash")
    with pytest.raises(Conflict) as full:
        sign(app, pledge, cat)
    assert "full" in str(full.value)

    withdraw(app, pledge, ann)
    late = sign(app, pledge, cat)
    assert signup_state(app, late) == "card_pending"
    with pytest.raises(Conflict):
        sign(app, pledge, ann)


def test_a_late_pledge_whose_card_declines_can_pledge_again_with_another(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    for person in (ann, ben):
        pledge_with_card(app, pledge, person)
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"

    late = pledge_with_card(app, pledge, cat, TestCard.DECLINES_AT_CHARGE)
    assert signup_state(app, late) == "action_needed"
    assert due(app)["payments lapsed"] == 1  # the pledge went ahead without this payment
    assert signup_state(app, late) == "lapsed"

    assert sign(app, pledge, cat) == late  # still before the deadline: pledge again, with another card
    use_card(app, late, cat)
    assert signup_state(app, late) == "captured"
    assert [pi.status for pi in intents(app, late)] == ["canceled", "succeeded"]
    assert card_payments_by_signup(app)[late] == 1
    assert assert_ledger_matches_stripe(app) == 3000
    assert_books_ok(app)
