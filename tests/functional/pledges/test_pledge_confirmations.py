"""Withdrawing a pledge, cancelling one and recording a cash pledge each ask first, saying what will happen;
nothing changes until the second press."""

from __future__ import annotations

from pledgebank.ledger import chart
from tests.factories.pledges import assert_books_ok, balance, pledge_state, pledge_with_card
from tests.helpers.pledge_pages import error_beside, make_pledge, people, signup_of, text_of


def test_withdrawing_asks_first_and_says_nothing_is_taken_from_the_card(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=3)
    pledge_with_card(app, pledge, world.ids["ann"])
    ann = world.client(app, sessions, "ann")
    asked = ann.post(f"/p/{pledge}/withdraw")
    assert asked.status_code == 200
    page = text_of(asked)
    assert "Withdraw your pledge?" in page
    assert "Your pledge of £10 to “Mend the playground fence” will be withdrawn" in page
    assert "Nothing has been taken from your card, and nothing will be." in page
    assert "Yes, withdraw my pledge" in page and "No, keep my pledge" in page
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_saved", (
        "the first press changes nothing"
    )
    assert ann.post(f"/p/{pledge}/withdraw", {"confirm": "yes"}).status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "withdrawn"


def test_withdrawing_cash_the_treasurer_has_says_it_comes_back(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=3)
    ann, treasurer = world.client(app, sessions, "ann"), world.client(app, sessions, "chair")
    assert ann.post(f"/p/{pledge}/pledge", {"method": "cash"}).status_code == 302
    signup = signup_of(sessions, pledge, world.ids["ann"])
    recorded = {"into": "cash", "amount": "10", "received_on": "2026-03-01", "confirm": "yes"}
    assert treasurer.post(f"/p/{pledge}/signups/{signup.id}/received", recorded).status_code == 302
    assert "The treasurer will give you back the £10 you paid." in text_of(ann.post(f"/p/{pledge}/withdraw"))
    assert balance(app, chart.CASH) == 1000
    assert_books_ok(app)


def test_recording_a_cash_pledge_asks_for_the_amount_and_day(app, sessions, outbox):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=3)
    ann, treasurer = world.client(app, sessions, "ann"), world.client(app, sessions, "chair")
    assert ann.post(f"/p/{pledge}/pledge", {"method": "cash"}).status_code == 302
    signup = signup_of(sessions, pledge, world.ids["ann"])
    url = f"/p/{pledge}/signups/{signup.id}/received"

    asked = treasurer.post(url, {"into": "cash"})
    assert asked.status_code == 200
    page = text_of(asked)
    assert "Ann pledged £10 to “Mend the playground fence”" in page
    assert "counts the pledge towards the target from now on" in page
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "cash_promised"

    form = {"into": "cash", "received_on": "2026-03-01", "confirm": "yes"}
    part = treasurer.post(url, {**form, "amount": "4"})
    assert part.status_code == 422
    assert "counts once paid in full" in error_beside(part.get_data(as_text=True), "amount")
    future = treasurer.post(url, {**form, "amount": "10", "received_on": "2026-03-03"})
    assert "cannot be in the future" in error_beside(future.get_data(as_text=True), "received_on")
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "cash_promised"
    assert balance(app, chart.CASH) == 0

    assert treasurer.post(url, {**form, "amount": "10.00"}).status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "cash_received"
    assert treasurer.post(url, {**form, "amount": "10.00"}).status_code == 409, "sent twice, recorded once"
    assert balance(app, chart.CASH) == 1000
    assert_books_ok(app)


def test_cancelling_asks_first_and_an_empty_reason_is_still_refused(app, sessions):
    world = people(sessions)
    pledge = make_pledge(app, world.slug, world.ids["chair"])
    chair = world.client(app, sessions, "chair")
    asked = chair.post(f"/p/{pledge}/cancel", {"reason": "The council is mending it."})
    assert asked.status_code == 200
    page = text_of(asked)
    assert "Cancel the pledge?" in page and "Nobody has pledged yet." in page and "Nobody is charged." in page
    assert 'name="reason" value="The council is mending it."' in asked.get_data(as_text=True)
    assert pledge_state(app, pledge) == "open"
    empty = chair.post(f"/p/{pledge}/cancel", {"reason": " ", "confirm": "yes"})
    assert empty.status_code == 422 and pledge_state(app, pledge) == "open"
