"""Pledging by card through the pages, with Stripe's test cards against the emulator: saved, declined,
the bank's check (passed and failed), withdrawing, and fixing a payment from the emailed link."""

from __future__ import annotations

import re

from tests.factories.pledges import due, pledge_state, pledge_with_card
from tests.helpers.pledge_pages import error_beside, make_pledge, people, signup_of, text_of

CONFIRM = {"confirm": "yes"}


def _pledge_by_card(client, pledge_id: int):
    page = client.get(f"/p/{pledge_id}").get_data(as_text=True)
    assert f'action="/p/{pledge_id}/pledge"' in page
    response = client.post(f"/p/{pledge_id}/pledge", {"method": "card"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/p/{pledge_id}/card")
    return response


def test_pledge_by_card_with_the_test_card_that_succeeds(app, sessions, outbox):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    _pledge_by_card(ann, pledge)
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_pending"

    card_page = ann.get(f"/p/{pledge}/card")
    assert card_page.status_code == 200
    html = card_page.get_data(as_text=True)
    assert "Visa 4242 4242 4242 4242: always succeeds" in html
    assert "js.stripe.com" not in html, "test mode does not load Stripe.js"

    saved = ann.post(f"/p/{pledge}/card", {"card": "succeeds"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/p/{pledge}")
    page = text_of(ann.get(f"/p/{pledge}"))
    assert "Card saved: your card ending 4242 is ready for your £10 pledge." in page
    assert "1 of 2 people, £10 pledged" in page
    assert "You have pledged £10 with your card ending 4242." in page
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_saved"
    assert "Your pledge: Mend the playground fence" in [m.subject for m in outbox.to(world.email("ann"))]

    assert ann.get(f"/p/{pledge}/card").status_code == 302, "no second card is asked for"


def test_a_declined_card_is_shown_beside_the_choice_and_another_can_be_chosen(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    _pledge_by_card(ann, pledge)

    declined = ann.post(f"/p/{pledge}/card", {"card": "declined_at_setup"})
    assert declined.status_code == 422
    html = declined.get_data(as_text=True)
    assert error_beside(html, "card") == "Error: Your bank declined this card. Choose another card."
    assert 'href="#card' in html, "the error summary links to the choice"
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_pending"
    assert "0 of 2 people" in text_of(ann.get(f"/p/{pledge}"))

    assert ann.post(f"/p/{pledge}/card", {"card": ""}).status_code == 422
    assert ann.post(f"/p/{pledge}/card", {"card": "succeeds"}).status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_saved"


def test_the_bank_check_page_fails_then_completes(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    _pledge_by_card(ann, pledge)

    asked = ann.post(f"/p/{pledge}/card", {"card": "requires_authentication"})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"/p/{pledge}/card/check")
    check = text_of(ann.get(f"/p/{pledge}/card/check"))
    assert "Complete authentication" in check and "Fail authentication" in check

    failed = ann.post(f"/p/{pledge}/card/check", {"outcome": "fail"})
    assert failed.status_code == 422
    assert "The bank's check failed, so the card was not saved." in error_beside(
        failed.get_data(as_text=True), "card"
    )
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_pending"

    assert ann.post(f"/p/{pledge}/card", {"card": "requires_authentication"}).status_code == 302
    done = ann.post(f"/p/{pledge}/card/check", {"outcome": "complete"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/p/{pledge}")
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_saved"
    assert ann.get(f"/p/{pledge}/card/check").status_code == 302, "nothing is waiting for a check any more"


def test_withdraw_until_the_pledge_activates(app, sessions, outbox):
    world = people(sessions, "ann", "ben", "cat")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    pledge_with_card(app, pledge, world.ids["ann"])
    assert "Withdraw my pledge" in text_of(ann.get(f"/p/{pledge}"))

    assert ann.post(f"/p/{pledge}/withdraw", CONFIRM).status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "withdrawn"
    page = text_of(ann.get(f"/p/{pledge}"))
    assert "You withdrew your pledge of £10." in page and "0 of 2 people" in page
    assert "Pledge withdrawn: Mend the playground fence" in [m.subject for m in outbox.to(world.email("ann"))]
    assert ann.post(f"/p/{pledge}/withdraw", CONFIRM).status_code == 404, "there is nothing left to withdraw"

    pledge_with_card(app, pledge, world.ids["ben"])
    pledge_with_card(app, pledge, world.ids["cat"])
    assert pledge_state(app, pledge) == "collecting"
    ben = world.client(app, sessions, "ben")
    assert "Withdraw my pledge" not in text_of(ben.get(f"/p/{pledge}"))
    refused = ben.post(f"/p/{pledge}/withdraw", CONFIRM)
    assert refused.status_code == 409
    assert "can no longer be withdrawn" in text_of(refused)


def _fix_link(outbox, address: str) -> str:
    mail = next(m for m in reversed(outbox.to(address)) if m.subject.startswith("Action needed"))
    return mail.path("/fix")


def test_a_declined_hold_is_fixed_with_another_card_from_the_emailed_link(app, sessions, outbox):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    _pledge_by_card(ann, pledge)
    assert ann.post(f"/p/{pledge}/card", {"card": "declines_at_charge"}).status_code == 302
    pledge_with_card(app, pledge, world.ids["ben"])  # the target is met: holds are placed
    due(app)
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "action_needed"

    link = _fix_link(outbox, world.email("ann"))
    assert link == f"/p/{pledge}/fix"
    page = text_of(ann.get(link))
    assert "Your card was declined." in page
    assert "Complete authentication" not in page
    assert "Fix your payment" in text_of(ann.get(f"/p/{pledge}"))

    moved = ann.post(f"/p/{pledge}/fix/new-card")
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"/p/{pledge}/card")
    saved = ann.post(f"/p/{pledge}/card", {"card": "succeeds"})
    assert saved.status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "held"
    assert "£10 is reserved on your card ending 4242" in text_of(ann.get(f"/p/{pledge}"))
    assert "There is nothing to fix." in text_of(ann.get(link))


def test_a_hold_needing_the_bank_check_is_confirmed_from_the_fix_page(app, sessions, outbox):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    _pledge_by_card(ann, pledge)
    ann.post(f"/p/{pledge}/card", {"card": "requires_authentication"})
    assert ann.post(f"/p/{pledge}/card/check", {"outcome": "complete"}).status_code == 302
    pledge_with_card(app, pledge, world.ids["ben"])
    due(app)  # the off-session hold asks for the bank's check again
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "action_needed"

    page = text_of(ann.get(_fix_link(outbox, world.email("ann"))))
    assert "Your bank wants to check that it is really you" in page
    assert "Complete authentication" in page and "Use another card" in page

    confirmed = ann.post(f"/p/{pledge}/fix/authenticate", {"outcome": "complete"})
    assert confirmed.status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "held"
    assert "Thank you: your payment is confirmed." in text_of(ann.get(f"/p/{pledge}"))
    again = ann.post(f"/p/{pledge}/fix/authenticate", {"outcome": "complete"})
    assert again.status_code == 409, "nothing is waiting for a check any more"


def test_a_failed_bank_check_on_the_fix_page_leaves_another_card(app, sessions, outbox):
    world = people(sessions, "ann", "ben")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    _pledge_by_card(ann, pledge)
    ann.post(f"/p/{pledge}/card", {"card": "requires_authentication"})
    ann.post(f"/p/{pledge}/card/check", {"outcome": "complete"})
    pledge_with_card(app, pledge, world.ids["ben"])
    due(app)

    failed = ann.post(f"/p/{pledge}/fix/authenticate", {"outcome": "fail"})
    assert failed.status_code == 422
    page = text_of(failed)
    assert "The check was not completed" in page
    assert "Complete authentication" not in page and "Use another card" in page
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "action_needed"
    assert re.search(r"Complete authentication", text_of(ann.get(f"/p/{pledge}/fix"))) is None

    assert ann.post(f"/p/{pledge}/fix/new-card").status_code == 302
    assert ann.post(f"/p/{pledge}/card", {"card": "succeeds"}).status_code == 302
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "held"
