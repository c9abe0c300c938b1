"""Every pledge email, sent through the real services to pledgers in each state they can be in (card saved or
not, cash promised or received, the neighbourhood's bank details and contact given or not), says only what is
true of them: see claims.py."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges.extras import post_update
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.services import cancel_pledge, get_pledge
from pledgebank.web.filters import when
from tests.factories.pledges import (
    authenticate_card,
    due,
    make_pledge,
    neighbourhood_with,
    record_cash,
    sign,
    signup_state,
    stripe_client,
    use_card,
    withdraw,
)
from tests.helpers.app import WebClient
from tests.helpers.email_claims import BANK, Recorder, check_all, give_contact
from tests.helpers.email_covers import CLOSES, DECLINING, FAILS, GOES_AHEAD, LAPSES, STATES

TEN = "£10.00"
CONTACTS = pytest.mark.parametrize(
    ("bank", "contact"), [(BANK, True), ("", False)], ids=["bank details and contact", "neither"]
)


def _world(app, sessions, recorder: Recorder, residents: int, bank: str, contact: bool):
    slug, chair, people = neighbourhood_with(sessions, residents)
    give_contact(app, slug, chair, bank=bank, contact=contact)
    for n in range(residents):
        recorder.be(
            f"resident{n}@example.org", "no card saved", slug=slug, bank=bank, contact=contact, amount=TEN
        )
    return slug, chair, people


def _update(app, pledge_id: int, author: int) -> None:
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        post_update(
            session, actor_id=author, pledge=get_pledge(session, pledge_id), body="Posts ordered.", now=now
        )


@CONTACTS
def test_a_pledge_going_ahead_tells_each_pledger_what_is_true_of_them(app, sessions, recorder, bank, contact):
    slug, chair, (ann, ben, cat, dan, eve, fay) = _world(app, sessions, recorder, 6, bank, contact)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)
    mail = recorder.be
    ben_signup = sign(app, pledge, ben)  # never saves a card before the end
    mail("resident2@example.org", "cash promised", cash="promised")
    sign(app, pledge, cat, method="cash")
    mail("resident3@example.org", "cash promised", cash="promised")
    dan_signup = sign(app, pledge, dan, method="cash")
    mail("resident3@example.org", "cash received", cash="received")
    record_cash(app, dan_signup, chair)
    mail("resident4@example.org", DECLINING, card="0341")
    eve_signup = sign(app, pledge, eve)
    use_card(app, eve_signup, eve, TestCard.DECLINES_AT_CHARGE)  # with Dan's cash, the target is met
    assert signup_state(app, eve_signup) == "action_needed"  # her hold, placed at once, is declined
    mail("resident4@example.org", "hold declined")
    _update(app, pledge, chair)
    mail("resident0@example.org", "card saved, pledge collecting", card="4242")
    ann_signup = sign(app, pledge, ann)
    use_card(app, ann_signup, ann)
    mail("resident0@example.org", "card held")
    due(app)
    assert signup_state(app, ann_signup) == "held"
    due(app, hours=73)  # collection ends: Ann's hold and Dan's cash meet the target
    web = WebClient(app.test_client())
    web.login("resident1@example.org")
    for template in ("pledges/activated", "pledges/succeeded"):  # the link they give Ben works, card or not
        assert web.get(recorder.one(template, "resident1@example.org").path("/card")).status_code == 200
    mail("resident1@example.org", "card saved, pledge succeeded", card="4242")
    use_card(app, ben_signup, ben)
    due(app)  # Ben's late card is charged at once
    assert signup_state(app, ben_signup) == "captured"
    mail("resident5@example.org", "cash promised, pledge succeeded", cash="promised")
    fay_signup = sign(app, pledge, fay, method="cash")  # late, in cash
    mail("resident5@example.org", "cash received, pledge succeeded", cash="received")
    record_cash(app, fay_signup, chair)
    assert signup_state(app, fay_signup) == "cash_kept"

    check_all(app, recorder)
    assert recorder.covered() == GOES_AHEAD
    with unit_of_work(sessions) as session, app.app_context():
        ends = when(get_pledge(session, pledge).collection_ends_at)
    activated = recorder.one("pledges/activated", "resident1@example.org")
    assert f"save a card\nbefore collection ends on {ends}:" in activated.body
    assert f"collection ends on {ends}" in recorder.one("pledges/activated", "resident2@example.org").body


def _four_ways(app, pledge: int, people: list[int], chair: int, recorder: Recorder) -> None:
    """Pledgers in each state: no card saved, card saved, cash promised, cash received."""
    ann, ben, cat, dan = people
    sign(app, pledge, ann)
    recorder.be("resident1@example.org", "card saved, pledge open", card="4242")
    use_card(app, sign(app, pledge, ben), ben)
    recorder.be("resident2@example.org", "cash promised", cash="promised")
    sign(app, pledge, cat, method="cash")
    recorder.be("resident3@example.org", "cash promised", cash="promised")
    cash = sign(app, pledge, dan, method="cash")
    recorder.be("resident3@example.org", "cash received", cash="received")
    record_cash(app, cash, chair)
    recorder.be("resident1@example.org", "card saved")


@CONTACTS
def test_withdrawn_cancelled_and_failed_pledges_say_what_happens_to_each_pledgers_money(
    app, sessions, recorder, bank, contact
):
    slug, chair, people = _world(app, sessions, recorder, 4, bank, contact)
    withdrawn = make_pledge(app, slug, chair, target_pledgers=10, title="Paint the bench")
    _four_ways(app, withdrawn, people, chair, recorder)
    for person in people:
        withdraw(app, withdrawn, person)
    cancelled = make_pledge(app, slug, chair, target_pledgers=10, title="Plant the verge")
    for n in range(len(STATES)):
        recorder.be(f"resident{n}@example.org", "no card saved", card=None, cash=None)
    _four_ways(app, cancelled, people, chair, recorder)
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        cancel_pledge(
            session, actor_id=chair, pledge=get_pledge(session, cancelled), reason="No quote.", now=now
        )
    check_all(app, recorder)
    assert recorder.covered() == CLOSES | FAILS - {("pledges/failed", label) for label in STATES}

    recorder.sent.clear()
    failing = make_pledge(app, slug, chair, target_pledgers=10, title="Light the path")
    for n in range(len(STATES)):
        recorder.be(f"resident{n}@example.org", "no card saved", card=None, cash=None)
    _four_ways(app, failing, people, chair, recorder)
    due(app, days=11)  # the deadline passes
    check_all(app, recorder)
    assert recorder.covered() == FAILS


def _intent_of(app, signup_id: int) -> str:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get_one(PledgeSignup, signup_id).payment_intent_id


def test_a_hold_gone_before_capture_or_needing_the_banks_check_says_so(app, sessions, recorder):
    slug, chair, (ann, ben, cat) = _world(app, sessions, recorder, 3, BANK, True)
    pledge = make_pledge(app, slug, chair, target_pledgers=1)
    recorder.be("resident0@example.org", "card saved, pledge open", card="4242")
    use_card(app, sign(app, pledge, ann), ann)  # the target is met
    recorder.be("resident0@example.org", "card held")
    recorder.be("resident1@example.org", "card saved, pledge collecting", card="4242")
    late = sign(app, pledge, ben)
    use_card(app, late, ben)
    stripe_client(app).v1.payment_intents.cancel(_intent_of(app, late))  # and no webhook tells us
    recorder.be("resident2@example.org", "card needing the bank's check", card="3155")
    careful = sign(app, pledge, cat)
    use_card(app, careful, cat, TestCard.REQUIRES_AUTHENTICATION)
    authenticate_card(app, careful, cat)  # saved; its hold asks for the check again
    assert signup_state(app, careful) == "action_needed"
    recorder.be("resident1@example.org", "hold released at Stripe")
    due(app, hours=73)
    assert signup_state(app, late) == "lapsed"
    check_all(app, recorder)
    assert recorder.covered() >= LAPSES
    assert "Your bank wants to check" in recorder.one("pledges/action_needed", "resident2@example.org").body
