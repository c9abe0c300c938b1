"""What each of Stripe's test cards does to a pledge, against the emulator with the real SDK: declined
when saved, declined when held (fixed in the window or not), and asking for authentication (passed or
abandoned)."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.ledger import chart
from pledgebank.payments.gateway import PaymentStatus, TestCard
from pledgebank.payments.models import PaymentCustomer
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.services import get_pledge, progress
from tests.factories.pledges import (
    FUND,
    assert_books_ok,
    assert_ledger_matches_stripe,
    authenticate_card,
    authenticate_hold,
    balance,
    captured_in_stripe,
    card_payments_by_signup,
    due,
    intent_statuses,
    intents,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    replace_card,
    sign,
    signup_state,
    stripe_client,
    subjects,
    use_card,
)

ACTION_NEEDED = "Action needed on your pledge: Mend the playground fence"


def signup_row(app, signup_id: int) -> PledgeSignup:
    """The signup as stored now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(PledgeSignup, signup_id)


def counted(app, pledge_id: int) -> tuple[int, int]:
    """The people and money that count towards the pledge's targets now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        now = progress(session, get_pledge(session, pledge_id))
        return now.pledgers, now.amount


def test_card_declined_when_saved_counts_for_nothing_until_another_card_works(app, sessions, stripe_api):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    signup = sign(app, pledge, ann)

    setup = use_card(app, signup, ann, TestCard.DECLINED_AT_SETUP)
    assert setup.status == "declined" and setup.decline_code == "card_declined"
    row = signup_row(app, signup)
    assert (row.status, row.decline_code, row.payment_method_id) == ("card_pending", "card_declined", None)
    assert counted(app, pledge) == (0, 0)

    setup = use_card(app, signup, ann, TestCard.SUCCEEDS)
    assert setup.status == "saved"
    row = signup_row(app, signup)
    assert (row.status, row.decline_code, row.card_last4) == ("card_saved", None, "4242")
    assert counted(app, pledge) == (1, 1000)
    assert pledge_state(app, pledge) == "open"

    # In Stripe: the declined SetupIntent is dead, the second one saved the card to the pledger's customer.
    client = stripe_client(app)
    setups = client.v1.setup_intents.list(params={"limit": 100}).data
    assert sorted(s.status for s in setups) == ["canceled", "succeeded"]
    saved = client.v1.payment_methods.retrieve(row.payment_method_id)
    assert saved.customer == next(s.customer for s in setups if s.status == "succeeded")
    assert intents(app) == []  # nothing was charged or held
    assert_books_ok(app)


def test_declined_hold_fixed_with_another_card_in_the_window(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    good = pledge_with_card(app, pledge, ann)
    bad = pledge_with_card(app, pledge, ben, TestCard.DECLINES_AT_CHARGE)  # saves fine; activates the pledge

    assert pledge_state(app, pledge) == "collecting"
    row = signup_row(app, bad)
    assert (row.status, row.decline_code) == ("action_needed", "card_declined")
    assert intent_statuses(app, bad) == ["requires_payment_method"]
    assert "Action needed on your pledge: Mend the playground fence" in subjects(
        outbox, "resident1@example.org"
    )
    due(app)
    assert signup_state(app, good) == "held"

    due(app, hours=24)
    replace_card(app, bad, ben, TestCard.SUCCEEDS)
    assert signup_state(app, bad) == "held"
    assert intent_statuses(app, bad) == ["canceled", "requires_capture"]  # the declined one is abandoned

    done = due(app, hours=49)
    assert done["collections ended"] == 1 and done["payments captured"] == 2
    assert pledge_state(app, pledge) == "succeeded"
    assert {signup_state(app, good), signup_state(app, bad)} == {"captured"}
    assert intent_statuses(app, bad) == ["canceled", "succeeded"]
    assert card_payments_by_signup(app) == {good: 1, bad: 1}
    assert assert_ledger_matches_stripe(app) == 2000
    assert balance(app, f"income:{FUND}:pledges") == -2000
    assert_books_ok(app)


def test_declined_hold_not_fixed_lapses_when_the_others_still_meet_the_target(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    first = pledge_with_card(app, pledge, ann)
    bad = pledge_with_card(app, pledge, ben, TestCard.DECLINES_AT_CHARGE)
    late = pledge_with_card(app, pledge, cat)  # after activation: held at once
    assert signup_state(app, late) == "held"

    done = due(app, hours=73)
    assert done["collections ended"] == 1 and done["payments captured"] == 2 and done["payments lapsed"] == 1
    assert pledge_state(app, pledge) == "succeeded"
    assert [signup_state(app, s) for s in (first, bad, late)] == ["captured", "lapsed", "captured"]
    assert intent_statuses(app, bad) == ["canceled"]  # not charged
    assert card_payments_by_signup(app) == {first: 1, late: 1}
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)


def test_declined_hold_not_fixed_fails_the_pledge_and_releases_every_hold(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    good = pledge_with_card(app, pledge, ann)
    bad = pledge_with_card(app, pledge, ben, TestCard.DECLINES_AT_CHARGE)
    due(app)
    assert signup_state(app, good) == "held"

    done = due(app, hours=73)
    assert done["collections ended"] == 1 and done["holds released"] == 2
    assert pledge_state(app, pledge) == "failed"
    assert {signup_state(app, good), signup_state(app, bad)} == {"released"}
    assert {pi.status for pi in intents(app)} == {"canceled"} and len(intents(app)) == 2
    assert captured_in_stripe(app) == (0, 0)
    assert balance(app, chart.STRIPE_CLEARING) == 0
    assert "Target not reached: nobody will be charged: Mend the playground fence" in subjects(
        outbox, "resident0@example.org"
    )
    assert_books_ok(app)


def test_threshold_met_then_lost_in_the_window_cancels_everything(app, sessions, stripe_api):
    slug, chair, people = neighbourhood_with(sessions, residents=4)
    pledge = make_pledge(app, slug, chair, target_pledgers=3, target_amount=3000)
    good = [pledge_with_card(app, pledge, person) for person in people[:2]]
    declines = pledge_with_card(app, pledge, people[2], TestCard.DECLINES_AT_CHARGE)
    assert pledge_state(app, pledge) == "collecting"  # met by three saved cards, £30
    assert signup_state(app, declines) == "action_needed"  # held at once: declined
    due(app)
    assert [signup_state(app, s) for s in good] == ["held", "held"]
    assert counted(app, pledge) == (2, 2000)  # lost: the third card declined

    due(app, hours=73)
    assert pledge_state(app, pledge) == "failed"
    assert [signup_state(app, s) for s in [*good, declines]] == ["released"] * 3
    assert [pi.status for pi in intents(app)] == ["canceled"] * 3
    assert captured_in_stripe(app) == (0, 0)
    assert card_payments_by_signup(app) == {}
    assert_books_ok(app)


def test_card_needing_authentication_passes_when_saved_and_when_held(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    careful = sign(app, pledge, ann)
    setup = use_card(app, careful, ann, TestCard.REQUIRES_AUTHENTICATION)
    assert setup.status == "needs_authentication"
    assert signup_state(app, careful) == "card_pending"

    assert authenticate_card(app, careful, ann).status == "saved"
    assert signup_state(app, careful) == "card_saved"
    other = pledge_with_card(app, pledge, ben)
    assert pledge_state(app, pledge) == "collecting"

    due(app)  # the off-session hold asks for authentication again
    row = signup_row(app, careful)
    assert (row.status, row.decline_code) == ("action_needed", "needs_authentication")
    assert intent_statuses(app, careful) == ["requires_action"]
    assert "Action needed on your pledge: Mend the playground fence" in subjects(
        outbox, "resident0@example.org"
    )

    assert authenticate_hold(app, careful, ann) == PaymentStatus.AUTHORISED
    assert signup_state(app, careful) == "held"
    with pytest.raises(Conflict):
        authenticate_hold(app, careful, ann)  # nothing is waiting for a check any more

    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"
    assert {signup_state(app, careful), signup_state(app, other)} == {"captured"}
    assert intent_statuses(app, careful) == ["succeeded"]
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)


def test_authentication_abandoned_when_saving_leaves_the_pledge_waiting_for_a_card(app, sessions, stripe_api):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    signup = sign(app, pledge, ann)
    use_card(app, signup, ann, TestCard.REQUIRES_AUTHENTICATION)

    setup = authenticate_card(app, signup, ann, succeed=False)
    assert setup.status == "declined"
    row = signup_row(app, signup)
    assert (row.status, row.payment_method_id) == ("card_pending", None) and row.decline_code
    assert counted(app, pledge) == (0, 0)

    assert use_card(app, signup, ann, TestCard.SUCCEEDS).status == "saved"  # another go works
    assert counted(app, pledge) == (1, 1000)
    assert intents(app) == []
    assert_books_ok(app)


def test_authentication_abandoned_on_the_hold_lapses_the_pledger(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    careful = sign(app, pledge, ann)
    use_card(app, careful, ann, TestCard.REQUIRES_AUTHENTICATION)
    authenticate_card(app, careful, ann)
    others = [pledge_with_card(app, pledge, person) for person in (ben, cat)]
    due(app)
    assert signup_state(app, careful) == "action_needed"

    assert authenticate_hold(app, careful, ann, succeed=False) == PaymentStatus.DECLINED
    assert signup_state(app, careful) == "action_needed"  # still fixable with another card in the window

    done = due(app, hours=73)
    assert done["payments lapsed"] == 1
    assert pledge_state(app, pledge) == "succeeded"
    assert signup_state(app, careful) == "lapsed"
    assert intent_statuses(app, careful) == ["canceled"]
    assert card_payments_by_signup(app) == dict.fromkeys(others, 1)
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)


def test_a_card_removed_at_stripe_asks_for_another_and_run_due_goes_on(app, sessions, outbox, stripe_api):
    slug, chair, (ann, ben, cat, dan) = neighbourhood_with(sessions, residents=4)
    fence = make_pledge(app, slug, chair, target_pledgers=2)
    trees = make_pledge(app, slug, chair, target_pledgers=2, title="Plant trees on the green")
    gone = pledge_with_card(app, fence, ann)
    pledge_with_card(app, fence, ben)
    waiting = pledge_with_card(app, trees, cat)
    pledge_with_card(app, trees, dan)
    with unit_of_work(sessions) as session:
        customer = session.get(PaymentCustomer, ann).customer_id
    stripe_client(app).v1.customers.delete(customer)  # in Stripe's dashboard

    done = due(app)
    assert done["holds placed"] == 2
    row = signup_row(app, gone)
    assert row.status == "action_needed" and row.decline_code
    assert ACTION_NEEDED in subjects(outbox, "resident0@example.org")
    assert signup_state(app, waiting) == "held"  # the other pledge's work went on

    due(app, hours=73)
    assert (pledge_state(app, fence), pledge_state(app, trees)) == ("failed", "succeeded")
    assert signup_state(app, gone) == "released"
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)
