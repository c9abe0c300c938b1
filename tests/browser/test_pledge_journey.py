"""In a real browser, against the Stripe emulator: two residents pledge with test cards (one through the
bank's check, twice), the pledge activates, demo time moves past the collection window, the pledge succeeds
and the receipts are in the outbox. Every pledge page on the way passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import make_pledge, neighbourhood_with, pledge_state
from tests.helpers.app import with_stripe
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _sign_in, _sign_out, _skip_ahead_as_chair

pytestmark = pytest.mark.browser

RECEIPT = "Receipt: your pledge is paid: Mend the playground fence"


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The live server's settings, pointed at the emulator in test mode, with the demo clock buttons."""
    return {**with_stripe(app_config, stripe_api), "DEMO": True}


def _choose_card_and_pledge(page, pledge_id: int) -> None:
    page.goto(f"/p/{pledge_id}")
    page.get_by_label(re.compile("^By card")).check()
    page.get_by_role("button", name="Pledge £10").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge_id}/card$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your card")


def test_residents_pledge_by_card_and_the_pledge_collects(page, app, sessions, outbox):
    slug, chair, _ = neighbourhood_with(sessions, residents=2)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=1000)

    _sign_in(page, "chair@example.org")
    page.goto(f"/n/{slug}")
    page.get_by_role("navigation", name="Elm Park").get_by_role("link", name="Pledges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pledges in Elm Park")
    assert_accessible(page, "the pledge list")
    page.get_by_role("link", name="Start a pledge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a pledge")
    assert_accessible(page, "the new pledge form")
    page.get_by_label("Amount per person, in pounds").fill("ten")
    page.get_by_role("button", name="Start the pledge").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the new pledge form with errors")
    page.goto(f"/p/{pledge}")
    expect(page.get_by_role("heading", name="Committee")).to_be_visible()
    assert_accessible(page, "the pledge page with the committee's tools")
    page.get_by_role("button", name="Cancel the pledge").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why the pledge is cancelled")
    assert_accessible(page, "the pledge page with the committee's tools, with errors")
    _sign_out(page)

    _sign_in(page, "resident0@example.org")
    page.goto(f"/n/{slug}/pledges")
    page.get_by_role("link", name="Mend the playground fence").click()
    expect(page.get_by_text("Nobody pays unless 2 people pledge by 12 March")).to_be_visible()
    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_have_attribute("aria-valuetext", "0%: 0 of 2 people, £0 pledged")
    assert_accessible(page, "the pledge page")
    _choose_card_and_pledge(page, pledge)
    assert_accessible(page, "the card page")
    page.get_by_label("Visa 4242 4242 4242 4242: always succeeds").check()
    page.get_by_role("button", name="Save card").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}$"))
    expect(page.get_by_role("status").first).to_contain_text("Card saved: your card ending 4242")
    expect(bar).to_have_attribute("aria-valuetext", "50%: 1 of 2 people, £10 pledged")
    _sign_out(page)

    _sign_in(page, "resident1@example.org")
    _choose_card_and_pledge(page, pledge)
    page.get_by_label(re.compile("asks the bank to authenticate")).check()
    page.get_by_role("button", name="Save card").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}/card/check$"))
    assert_accessible(page, "the bank's check page")
    page.get_by_role("button", name="Complete authentication").click()
    # The card is saved and the pledge activates; this card's hold asks for the bank's check once more.
    expect(page).to_have_url(re.compile(rf"/p/{pledge}/fix$"))
    expect(page.get_by_text("Your bank wants to check that it is really you")).to_be_visible()
    assert_accessible(page, "the fix page")
    page.get_by_role("button", name="Complete authentication").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}$"))
    expect(page.get_by_role("status").first).to_contain_text("your payment is confirmed")
    expect(page.get_by_text("Target met: collecting payments")).to_be_visible()
    expect(page.get_by_text("£10 is reserved on your card ending 3155")).to_be_visible()
    assert pledge_state(app, pledge) == "collecting"

    _skip_ahead_as_chair(page, "Skip ahead 3 days", "resident1@example.org")
    expect(page).to_have_url(re.compile(rf"/p/{pledge}$"))
    expect(page.get_by_text("Succeeded: it is going ahead")).to_be_visible()
    expect(page.get_by_text("Paid: £10 was taken from your card ending 3155. Thank you.")).to_be_visible()
    expect(bar).to_have_attribute("aria-valuetext", "100%: 2 of 2 people, £20 pledged")
    assert_accessible(page, "the pledge page after success")
    assert pledge_state(app, pledge) == "succeeded"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your account").click()
    pledges = page.get_by_role("region", name="Your pledges")
    expect(pledges).to_contain_text("Paid: £10 was taken from your card ending 3155")
    assert_accessible(page, "the account page with a pledge")
    for address in ("resident0@example.org", "resident1@example.org"):
        assert RECEIPT in [mail.subject for mail in outbox.to(address)], address
