"""Cash pledges and the treasurer's buttons, the committee's tools (cancel with a reason, updates, sponsors'
offers), the demo clock, and a sponsor's payment recorded once the pledge succeeds."""

from __future__ import annotations

from pledgebank.db import unit_of_work
from pledgebank.ledger import chart
from pledgebank.pledges.models import MatchOffer
from tests.factories.pledges import assert_books_ok, balance, due, pledge_state, pledge_with_card, sign
from tests.helpers.foundation import new_client
from tests.helpers.pledge_pages import error_beside, make_pledge, people, signup_of, text_of


def cash(into: str, amount: str = "10") -> dict[str, str]:
    """The treasurer's confirmed cash form: the amount and the day received."""
    return {"into": into, "amount": amount, "received_on": "2026-03-02", "confirm": "yes"}


def test_cash_pledge_counts_once_the_treasurer_records_it(app, sessions, outbox):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=3)
    ann = world.client(app, sessions, "ann")
    response = ann.post(f"/p/{pledge}/pledge", {"method": "cash"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/p/{pledge}")
    page = text_of(ann.get(f"/p/{pledge}"))
    assert "Thank you: you have pledged £10 in cash." in page
    assert "You have pledged £10 in cash. It counts once the treasurer has recorded it." in page
    assert "0 of 3 people" in page
    assert "Received in cash" not in page, "residents do not see the treasurer's buttons"

    signup = signup_of(sessions, pledge, world.ids["ann"])
    ben = world.client(app, sessions, "ben")
    assert ben.post(f"/p/{pledge}/signups/{signup.id}/received", {"into": "cash"}).status_code == 403
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "cash_promised"

    treasurer = world.client(app, sessions, "chair")
    assert "Ann: £10 Received in cash" in text_of(treasurer.get(f"/p/{pledge}"))
    assert treasurer.post(f"/p/{pledge}/signups/{signup.id}/received", cash("sofa")).status_code == 422
    recorded = treasurer.post(f"/p/{pledge}/signups/{signup.id}/received", cash("cash"))
    assert recorded.status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "cash_received"
    assert balance(app, chart.CASH) == 1000
    assert "1 of 3 people, £10 pledged" in text_of(treasurer.get(f"/p/{pledge}"))
    assert "We have your pledge money: Mend the playground fence" in [
        m.subject for m in outbox.to(world.email("ann"))
    ]
    again = treasurer.post(f"/p/{pledge}/signups/{signup.id}/received", cash("cash"))
    assert again.status_code == 409, "the same money is not recorded twice"
    assert balance(app, chart.CASH) == 1000

    assert ann.post(f"/p/{pledge}/withdraw", {"confirm": "yes"}).status_code == 302
    assert "Your pledge is withdrawn. The treasurer will give your money back." in text_of(
        ann.get(f"/p/{pledge}")
    )
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "cash_returned"
    assert balance(app, chart.CASH) == 0
    assert_books_ok(app)


def test_minimum_pledge_asks_for_an_amount_at_least_the_minimum(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], amount_kind="minimum", amount=500)
    ann = world.client(app, sessions, "ann")
    for amount, message in (("", "Enter your amount: at least £5."), ("4.99", "Pledge at least the minimum")):
        refused = ann.post(f"/p/{pledge}/pledge", {"method": "cash", "amount": amount})
        assert refused.status_code == 422
        assert message in error_beside(refused.get_data(as_text=True), "amount")
    assert ann.post(f"/p/{pledge}/pledge", {"method": "cash", "amount": "12.50"}).status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).amount == 1250


def test_committee_cancel_needs_a_reason_and_tells_everyone(app, sessions, outbox):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"])
    pledge_with_card(app, pledge, world.ids["ann"])
    ann = world.client(app, sessions, "ann")
    assert ann.post(f"/p/{pledge}/cancel", {"reason": "No"}).status_code == 403
    assert ann.post(f"/p/{pledge}/cancel", {"reason": ""}).status_code == 403

    chair = world.client(app, sessions, "chair")
    refused = chair.post(f"/p/{pledge}/cancel", {"reason": "   "})
    assert refused.status_code == 422
    assert "Say why the pledge is cancelled" in error_beside(refused.get_data(as_text=True), "reason")
    assert pledge_state(app, pledge) == "open"

    asked = chair.post(f"/p/{pledge}/cancel", {"reason": "The council is mending it."})
    assert asked.status_code == 200 and pledge_state(app, pledge) == "open", "the first press only asks"
    assert "The 1 person who pledged will be emailed with your reason" in text_of(asked)
    confirmed = {"reason": "The council is mending it.", "confirm": "yes"}
    assert chair.post(f"/p/{pledge}/cancel", confirmed).status_code == 302
    assert pledge_state(app, pledge) == "cancelled"
    page = text_of(ann.get(f"/p/{pledge}"))
    assert "Cancelled: nobody was charged" in page and "The council is mending it." in page
    mail = outbox.last(world.email("ann"))
    assert mail.subject == "Pledge cancelled: nobody will be charged: Mend the playground fence"
    assert "The council is mending it." in mail.body


def test_an_update_is_emailed_to_pledgers_and_shown_to_later_ones(app, sessions, outbox):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=5)
    pledge_with_card(app, pledge, world.ids["ann"])
    ben = world.client(app, sessions, "ben")
    assert ben.post(f"/p/{pledge}/updates", {"body": "Hello all"}).status_code == 403

    chair = world.client(app, sessions, "chair")
    assert chair.post(f"/p/{pledge}/updates", {"body": ""}).status_code == 422
    posted = chair.post(f"/p/{pledge}/updates", {"body": "The timber merchant has offered a discount."})
    assert posted.status_code == 302
    mail = outbox.last(world.email("ann"))
    assert mail.subject == "News: Mend the playground fence"
    assert "The timber merchant has offered a discount." in mail.body
    assert mail.path("/p/") == f"/p/{pledge}"
    assert not [m for m in outbox.to(world.email("ben")) if m.subject.startswith("News")]

    pledge_with_card(app, pledge, world.ids["ben"])
    page = text_of(ben.get(f"/p/{pledge}"))
    assert "Chair Person" in page and "The timber merchant has offered a discount." in page


def test_a_sponsor_offer_is_shown_and_its_payment_recorded_after_success(app, sessions, web):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    chair = world.client(app, sessions, "chair")
    bad = chair.post(
        f"/p/{pledge}/offers", {"sponsor_name": "Elm Park Bakery", "ratio": "one to two", "cap": "x"}
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Enter the most the sponsor will give as a number of pounds" in error_beside(html, "cap")
    ann = world.client(app, sessions, "ann")
    assert (
        ann.post(f"/p/{pledge}/offers", {"sponsor_name": "Me", "ratio": "1:1", "cap": "5"}).status_code == 403
    )

    offer = {"sponsor_name": "Elm Park Bakery", "ratio": "1:2", "cap": "200"}
    wrong_ratio = chair.post(f"/p/{pledge}/offers", {**offer, "ratio": "one to two"})
    assert wrong_ratio.status_code == 422
    assert "Write the ratio like 1:1" in error_beside(wrong_ratio.get_data(as_text=True), "ratio")
    assert chair.post(f"/p/{pledge}/offers", offer).status_code == 302
    words = "Elm Park Bakery will add £1 for every £2 pledged, up to £200, if this succeeds."
    assert words in text_of(web.get(f"/p/{pledge}"))

    pledge_with_card(app, pledge, world.ids["ann"])
    pledge_with_card(app, pledge, world.ids["ben"])
    due(app, hours=73)
    assert pledge_state(app, pledge) == "succeeded"
    page = text_of(chair.get(f"/p/{pledge}"))
    assert "Elm Park Bakery owes £10 (£1 for every £2 pledged)" in page
    assert "Succeeded: it is going ahead" in page
    with unit_of_work(sessions) as session:
        offer_id = session.query(MatchOffer).one().id
    assert ann.post(f"/p/{pledge}/offers/{offer_id}/received", {"into": "bank"}).status_code == 403
    assert chair.post(f"/p/{pledge}/offers/{offer_id}/received", {"into": "bank"}).status_code == 302
    assert "Elm Park Bakery has paid £10" in text_of(chair.get(f"/p/{pledge}"))
    assert balance(app, chart.BANK) == 1000
    assert_books_ok(app)


def test_demo_buttons_move_the_clock_only_in_demo_mode(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    sign(app, pledge, world.ids["ann"], method="cash")
    ann = world.client(app, sessions, "ann")
    assert "Skip ahead" not in text_of(ann.get(f"/p/{pledge}"))
    clock = app.extensions["pledgebank.clock"]
    before = clock.now()
    assert ann.post("/demo/advance", {"hours": "24", "next": f"/p/{pledge}"}).status_code == 404
    assert clock.now() == before

    app.config["DEMO"] = True
    assert "Skip ahead" not in text_of(ann.get(f"/p/{pledge}")), "a resident cannot move everyone's clock"
    assert ann.post("/demo/advance", {"hours": "24"}).status_code == 403
    visitor = new_client(app).post("/demo/advance", {"hours": "24"})
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"], "signed out: sign in first"
    assert "Skip ahead" not in text_of(new_client(app).get(f"/p/{pledge}"))
    assert clock.now() == before
    chair = world.client(app, sessions, "chair")
    assert "Skip ahead 3 days" in text_of(chair.get(f"/p/{pledge}"))
    assert chair.post("/demo/advance", {"hours": "5"}).status_code == 422
    for _ in range(4):
        moved = chair.post("/demo/advance", {"hours": "72", "next": f"/p/{pledge}"})
        assert moved.status_code == 302 and moved.headers["Location"] == f"/p/{pledge}"
    assert (clock.now() - before).days == 12
    assert pledge_state(app, pledge) == "failed", "the deadline passed and run-due failed the pledge"
    assert (
        "pledges failed at deadline: 1" in text_of(ann.get(f"/p/{pledge}"))
        or pledge_state(app, pledge) == "failed"
    )
