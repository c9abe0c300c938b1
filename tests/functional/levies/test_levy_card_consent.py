"""Consent before every levy charge: a card saved for levy A never pays levy B (not by run-due, not on its
retry days, not from the pay page) until a resident agrees on B's page; what is owed now is listed by levy and
period with a total and taken only once confirmed, once however often the confirmation is sent."""

from __future__ import annotations

import re

import pytest

from pledgebank.accounts import erasure
from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.jobs import payments_context
from pledgebank.levies import cards, consents
from pledgebank.levies.models import LevyCardConsent
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    charges_of,
    check_card,
    confirm_owed,
    intents_for,
    join,
    join_with_card,
    levy_world,
    now_of,
    owed_now,
    pay_now,
    save_card,
)
from tests.factories.pledges import assert_books_ok, captured_in_stripe, due, subjects
from tests.helpers.app import PASSWORD
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import text_of

LISTING = re.compile(r'name="listing" value="([0-9a-f]{64})"')


def _two_levies(app, sessions):
    slug, chair, member, (ann, ben, cat) = levy_world(sessions)
    lighting = active_levy(app, slug, chair, member, amount=1000)
    garden = active_levy(app, slug, chair, member, name="Garden square", amount=467)
    return slug, lighting, garden, (ann, ben, cat)


def _chair(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.query(User).filter_by(email="chair@example.org").one().id


def _consents(app) -> list[tuple[int, str | None]]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return [
            (c.levy_id, c.ended_because) for c in session.query(LevyCardConsent).order_by(LevyCardConsent.id)
        ]


def test_a_card_saved_for_one_levy_never_pays_another_through_run_due_retries_or_the_pay_page(
    app, sessions, outbox
):
    _, lighting, garden, (ann, _, _) = _two_levies(app, sessions)
    home = join_with_card(app, lighting, ann, "1 Elm Road")  # the card is authorised for lighting only
    join(app, garden, ann, "1 Elm Road")
    assert _consents(app) == [(lighting, None)]

    due(app)
    for days in (1, 2, 4):  # the garden levy's retry days (1, 3, 7) pass: reminded, never charged
        due(app, days=days)
    paid, owed = charges_of(app, lighting)[0], charges_of(app, garden)[0]
    assert (paid.status, paid.paid_via) == ("paid", "card")
    assert (owed.status, owed.paid_via, owed.household_id) == ("arrears", None, home)
    assert intents_for(app, owed.id) == [], "no payment was ever started on the garden levy's charge"
    assert captured_in_stripe(app)[0] == 1000
    mail = subjects(outbox, "resident0@example.org")
    assert "Due now: Garden square" in mail and "In arrears: Garden square" in mail
    with pytest.raises(Conflict, match="Save a card for this levy first"):
        pay_now(app, owed.id, ann)
    assert [c.levy_id for c in owed_now(app, home).charges] == [], "the arrears are not the card's to pay"
    assert_books_ok(app)


def test_joining_a_second_levy_asks_about_the_card_then_lists_the_charges_and_takes_them_once(
    app, sessions, outbox
):
    _, lighting, garden, (ann, _, _) = _two_levies(app, sessions)
    home = join_with_card(app, lighting, ann, "1 Elm Road", band="C")
    client = signed_in_client(app, sessions, ann)

    page = client.get(f"/levies/{garden}").get_data(as_text=True)
    assert 'value="1 Elm Road"' in page and '<option selected value="C">' in page, "address and band known"
    joined = client.post(f"/levies/{garden}/join", {"address": "1 Elm Road", "band": "C"})
    assert joined.headers["Location"].endswith(f"/levies/{garden}/card/use")
    asked = text_of(client.get(f"/levies/{garden}/card/use"))
    assert "Use the card ending 4242 for Garden square?" in asked
    assert (
        "I authorise Garden square to take £4.67 each month from the card ending 4242 for 1 Elm Road" in asked
    )
    assert "does not pay this one" in text_of(client.get(f"/levies/{garden}"))

    due(app)  # lighting is paid by its card; the garden charge is only reminded
    due(app, days=31)  # a month on: a second garden period, the first one still owed
    garden_charges = charges_of(app, garden)
    assert [c.paid_via for c in garden_charges] == [None, None] and captured_in_stripe(app)[0] == 2000

    agreed = client.post(f"/levies/{garden}/card/use")
    assert agreed.headers["Location"].endswith(f"/levies/{garden}/charges/confirm")
    assert _consents(app) == [(lighting, None), (garden, None)]
    listed = client.get(f"/levies/{garden}/charges/confirm")
    body = text_of(listed)
    assert "Garden square 2 March 2026 to 1 April 2026 £4.67" in body
    assert "Garden square 2 April 2026 to 1 May 2026 £4.67" in body
    assert "Total £9.34" in body and "Pay £9.34 now with the card ending 4242" in body
    assert captured_in_stripe(app)[0] == 2000, "listing takes nothing"

    key = LISTING.search(listed.get_data(as_text=True)).group(1)
    tampered = client.post(f"/levies/{garden}/charges/confirm", {"listing": "0" * 64})
    assert tampered.status_code == 409 and "nothing was taken" in text_of(tampered)
    first = client.post(f"/levies/{garden}/charges/confirm", {"listing": key}, follow_redirects=True)
    assert "the charges listed are paid" in text_of(first)
    again = client.post(f"/levies/{garden}/charges/confirm", {"listing": key}, follow_redirects=True)
    assert "already confirmed these charges: they were taken once" in text_of(again)
    assert [c.paid_via for c in charges_of(app, garden)] == ["card", "card"]
    assert captured_in_stripe(app)[0] == 2000 + 934
    assert sum(len(intents_for(app, c.id)) for c in garden_charges) == 2
    assert text_of(client.get(f"/levies/{garden}/charges/confirm")).count("£4.67") == 0
    assert confirm_owed(app, home, ann, key=key).again, "the same list sent again takes nothing"
    assert_books_ok(app)


def test_a_new_card_for_one_levy_ends_the_old_cards_consent_for_the_other(app, sessions):
    _, lighting, garden, (ann, _, _) = _two_levies(app, sessions)
    join_with_card(app, lighting, ann, "1 Elm Road")
    join(app, garden, ann, "1 Elm Road")
    client = signed_in_client(app, sessions, ann)
    assert client.post(f"/levies/{garden}/card/use").status_code == 302
    assert client.post(f"/levies/{lighting}/card", {"card": "declines_at_charge"}).status_code == 302
    assert _consents(app) == [(lighting, "card replaced"), (garden, "card replaced"), (lighting, None)]
    page = text_of(client.get(f"/levies/{garden}"))
    assert "card ending 0341 was saved for another levy and does not pay this one" in page


def test_a_card_started_on_one_levys_page_and_finished_on_anothers_is_for_the_second(app, sessions):
    _, lighting, garden, (ann, _, _) = _two_levies(app, sessions)
    join(app, lighting, ann, "1 Elm Road")
    join(app, garden, ann, "1 Elm Road")
    assert save_card(app, lighting, ann, TestCard.REQUIRES_AUTHENTICATION).status == "needs_authentication"
    cards.start_card(payments_context(app), levy_id=garden, user_id=ann, now=now_of(app))  # the same card
    assert check_card(app, garden, ann).status == "saved"
    assert _consents(app) == [(garden, None)]


def test_only_the_resident_whose_card_it_is_may_let_it_pay_another_levy(app, sessions):
    _, lighting, garden, (ann, ben, _) = _two_levies(app, sessions)
    join_with_card(app, lighting, ann, "1 Elm Road")  # Ann's card
    neighbour = signed_in_client(app, sessions, ben)
    joined = neighbour.post(f"/levies/{garden}/join", {"address": "1 Elm Road", "band": "D"})
    assert joined.headers["Location"].endswith(f"/levies/{garden}"), "Ben is not asked about Ann's card"
    assert "the resident who saved it can agree" in text_of(neighbour.get(f"/levies/{garden}"))
    refused = neighbour.post(f"/levies/{garden}/card/use", follow_redirects=True)
    assert "only they can agree that it pays this levy" in text_of(refused)
    with pytest.raises(Conflict, match="only they can agree"), unit_of_work(sessions) as session:
        consents.use_card_for_levy(session, levy_id=garden, user_id=ben, now=now_of(app))
    assert _consents(app) == [(lighting, None)]


def test_a_member_removed_by_the_chair_stops_their_card_paying(app, sessions):
    slug, lighting, _, (ann, _, _) = _two_levies(app, sessions)
    join_with_card(app, lighting, ann, "1 Elm Road")
    chair = signed_in_client(app, sessions, _chair(sessions))
    removed = chair.post(f"/n/{slug}/members/{ann}/remove", {"reason": "Moved away in February."})
    assert removed.status_code == 302
    assert _consents(app) == [(lighting, "removed")]
    due(app)
    assert charges_of(app, lighting)[0].paid_via is None and captured_in_stripe(app)[0] == 0


def test_closing_the_account_ends_its_consents(app, sessions):
    _, lighting, _, (ann, _, _) = _two_levies(app, sessions)
    join_with_card(app, lighting, ann, "1 Elm Road")
    due(app)  # paid by the card: nothing owed, so the account may close
    with unit_of_work(sessions) as session:
        erasure.close_account(session, actor_id=ann, user_id=ann, password=PASSWORD, now=now_of(app))
    assert _consents(app) == [(lighting, "account closed")]


def test_agreeing_to_a_card_takes_nothing_raised_before_until_it_is_confirmed_but_later_periods_are_taken(
    app, sessions
):
    _, lighting, garden, (ann, _, _) = _two_levies(app, sessions)
    home = join_with_card(app, lighting, ann, "1 Elm Road")
    join(app, garden, ann, "1 Elm Road")
    due(app)  # the garden's first charge is raised: no card for it, so reminded
    due(app, hours=1)
    with unit_of_work(sessions) as session:
        consents.use_card_for_levy(session, levy_id=garden, user_id=ann, now=now_of(app))
    for days in (1, 2, 4):  # its retry days pass: still not the card's to take unasked
        due(app, days=days)
    first = charges_of(app, garden)[0]
    assert first.paid_via is None and intents_for(app, first.id) == []
    assert [c.charge_id for c in owed_now(app, home).charges] == [first.id]
    due(app, days=24)  # the next period, raised after the consent, is taken as it falls due
    later = charges_of(app, garden)[1]
    assert (later.status, later.paid_via) == ("paid", "card")
    assert charges_of(app, garden)[0].paid_via is None
    assert_books_ok(app)
