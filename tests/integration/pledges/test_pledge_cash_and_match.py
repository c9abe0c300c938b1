"""Cash pledges (held in a liability until the pledge is decided, then kept or handed back) and sponsors'
match offers (a receivable on success, settled into sponsorship income when the sponsor pays)."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden
from pledgebank.ledger import chart
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges.extras import add_match_offer, record_match_received
from pledgebank.pledges.models import MatchOffer
from pledgebank.pledges.services import get_pledge
from tests.factories.pledges import (
    FUND,
    assert_books_ok,
    assert_ledger_matches_stripe,
    balance,
    captured_in_stripe,
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
)

HELD = chart.PLEDGES_HELD
INCOME = f"income:{FUND}:pledges"
SPONSORSHIP = f"income:{FUND}:sponsorship"


def offer_match(app, pledge_id: int, actor_id: int, ratio: str, cap: int) -> int:
    """Record a sponsor's match offer; return its id."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return add_match_offer(
            session,
            actor_id=actor_id,
            pledge=get_pledge(session, pledge_id),
            sponsor_name="Peckham Hardware",
            ratio=ratio,
            cap=cap,
            now=now,
        ).id


def match_paid(app, offer_id: int, actor_id: int, into: str = chart.BANK) -> None:
    """The treasurer records the sponsor's money as received."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        record_match_received(
            session, actor_id=actor_id, offer_id=offer_id, into=into, now=now, zone=app.config["TIMEZONE"]
        )


def offer_row(app, offer_id: int) -> MatchOffer:
    """The offer as stored now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(MatchOffer, offer_id)


def test_cash_counts_once_received_and_is_kept_on_success(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    cash = sign(app, pledge, ann, method="cash")
    card = pledge_with_card(app, pledge, ben)
    assert pledge_state(app, pledge) == "open"  # promised cash does not count yet
    record_cash(app, cash, chair)
    assert pledge_state(app, pledge) == "collecting"
    assert (balance(app, chart.CASH), balance(app, HELD)) == (1000, -1000)
    assert balance(app, INCOME) == 0  # not the fund's money until the pledge succeeds

    promised = sign(app, pledge, cat, method="cash")  # never handed over
    due(app)
    done = due(app, hours=73)
    assert done["cash kept"] == 1 and done["payments captured"] == 1
    assert pledge_state(app, pledge) == "succeeded"
    assert (signup_state(app, cash), signup_state(app, card)) == ("cash_kept", "captured")
    assert balance(app, HELD) == 0 and balance(app, chart.CASH) == 1000
    assert balance(app, INCOME) == -2000  # the cash and the card
    assert ledger_kinds(app)["pledge_cash_recognised"] == 1
    assert assert_ledger_matches_stripe(app) == 1000

    assert signup_state(app, promised) == "cash_promised"  # may still bring it before the deadline
    record_cash(app, promised, chair, into=chart.BANK)  # after success: the fund's at once
    assert signup_state(app, promised) == "cash_kept"
    assert balance(app, INCOME) == -3000 and balance(app, chart.BANK) == 1000
    assert_books_ok(app)


def test_cash_promised_but_never_brought_lapses_after_the_deadline(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    for person in (ann, ben):
        pledge_with_card(app, pledge, person)
    promised = sign(app, pledge, cat, method="cash")
    due(app, hours=73)
    assert signup_state(app, promised) == "cash_promised"
    done = due(app, days=10)
    assert done["payments lapsed"] == 1
    assert signup_state(app, promised) == "lapsed"
    assert "pledge_cash_held" not in ledger_kinds(app)
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)


def test_cash_is_returned_when_the_pledge_fails_in_collection(app, sessions, stripe_api):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    cash = sign(app, pledge, ann, method="cash")
    record_cash(app, cash, chair, into=chart.BANK)
    bad = pledge_with_card(app, pledge, ben, TestCard.DECLINES_AT_CHARGE)
    assert pledge_state(app, pledge) == "collecting"

    done = due(app, hours=73)
    assert done["cash returned"] == 1 and done["holds released"] == 1
    assert pledge_state(app, pledge) == "failed"
    assert (signup_state(app, cash), signup_state(app, bad)) == ("cash_returned", "released")
    assert ledger_kinds(app) == {"pledge_cash_held": 1, "pledge_cash_returned": 1}
    assert (balance(app, chart.BANK), balance(app, HELD), balance(app, INCOME)) == (0, 0, 0)
    assert captured_in_stripe(app) == (0, 0)
    assert [pi.status for pi in intents(app)] == ["canceled"]

    with pytest.raises(Conflict):
        sign(app, pledge, ann, method="cash")  # closed
    assert_books_ok(app)


def test_cash_cannot_be_recorded_on_a_failed_pledge(app, sessions, stripe_api):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    promised = sign(app, pledge, ann, method="cash")
    due(app, days=10)
    assert pledge_state(app, pledge) == "failed"
    with pytest.raises(Conflict):
        record_cash(app, promised, chair)
    assert "pledge_cash_held" not in ledger_kinds(app)
    assert_books_ok(app)


def test_match_offer_is_owed_on_success_and_settled_when_the_sponsor_pays(app, sessions, stripe_api):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    with pytest.raises(Forbidden):
        offer_match(app, pledge, ann, "1:1", 1000)  # residents cannot
    halves = offer_match(app, pledge, chair, "1:2", 100_000)
    capped = offer_match(app, pledge, chair, "1:1", 1_200)
    for person in (ann, ben):
        pledge_with_card(app, pledge, person)
    cash = sign(app, pledge, cat, method="cash")
    record_cash(app, cash, chair)
    due(app)
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"

    # £30 pledged: half of it, and pound for pound up to £12.
    assert (offer_row(app, halves).status, offer_row(app, halves).owed_amount) == ("owed", 1500)
    assert (offer_row(app, capped).status, offer_row(app, capped).owed_amount) == ("owed", 1200)
    assert ledger_kinds(app)["match_owed"] == 2
    assert balance(app, chart.RECEIVABLES) == 2700 and balance(app, chart.DEFERRED_INCOME) == -2700
    assert balance(app, SPONSORSHIP) == 0

    with pytest.raises(Forbidden):
        match_paid(app, halves, ann)
    match_paid(app, halves, chair)
    with pytest.raises(Conflict):
        match_paid(app, halves, chair)  # once only
    assert offer_row(app, halves).status == "received"
    assert balance(app, chart.RECEIVABLES) == 1200 and balance(app, chart.DEFERRED_INCOME) == -1200
    assert balance(app, SPONSORSHIP) == -1500 and balance(app, chart.BANK) == 1500
    match_paid(app, capped, chair, into=chart.CASH)
    assert balance(app, chart.RECEIVABLES) == 0 and balance(app, SPONSORSHIP) == -2700
    assert ledger_kinds(app)["match_received"] == 2
    assert due(app) == {} and ledger_kinds(app)["match_owed"] == 2  # owed once, however often run-due runs
    assert assert_ledger_matches_stripe(app) == 2000
    assert_books_ok(app)


def test_match_offer_is_void_when_the_pledge_fails(app, sessions, stripe_api):
    slug, chair, (ann, _, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    offer = offer_match(app, pledge, chair, "1:1", 5000)
    pledge_with_card(app, pledge, ann)
    due(app, days=10)
    assert pledge_state(app, pledge) == "failed"
    assert offer_row(app, offer).status == "void"
    with pytest.raises(Conflict):
        match_paid(app, offer, chair)
    with pytest.raises(Conflict):
        offer_match(app, pledge, chair, "1:1", 5000)  # decided: no new offers
    assert "match_owed" not in ledger_kinds(app)
    assert_books_ok(app)
