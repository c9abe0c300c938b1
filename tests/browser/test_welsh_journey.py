"""In a real browser, in Welsh: a resident on a pledge page switches to Cymraeg and stays on the same page,
pledges, sees the form's errors in Welsh beside the fields, saves a test card and is thanked in Welsh. The
page's lang attribute is cy throughout, and every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import make_pledge, neighbourhood_with
from tests.helpers.app import with_stripe
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The live server's settings, pointed at the Stripe emulator in test mode."""
    return with_stripe(app_config, stripe_api)


def test_a_resident_switches_to_welsh_on_a_pledge_and_pledges_in_welsh(page, app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=1)
    pledge = make_pledge(app, slug, chair, amount_kind="minimum", amount=500)
    _sign_in(page, "resident0@example.org")
    page.goto(f"/p/{pledge}?from=flyer")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")

    page.get_by_role("button", name="Cymraeg").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}\?from=flyer$"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", name="Cynnydd")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert_accessible(page, "the pledge page in Welsh")

    page.get_by_role("button", name="Addo", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Mae problem")
    expect(page.locator("#method-error")).to_contain_text("Dewiswch gerdyn neu arian parod.")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page, "the pledge form's errors in Welsh")

    page.get_by_label(re.compile("^Â cherdyn")).check()
    page.get_by_role("button", name="Addo", exact=True).click()
    expect(page.locator("#amount-error")).to_contain_text("Rhowch eich swm: o leiaf £5.")
    expect(page.get_by_label(re.compile("^Your amount|^Eich swm"))).to_have_attribute("aria-invalid", "true")

    page.get_by_label(re.compile("^Your amount|^Eich swm")).fill("7")
    page.get_by_label(re.compile("^Â cherdyn")).check()
    page.get_by_role("button", name="Addo", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}/card$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cadw eich cerdyn")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page, "the card page in Welsh")
    page.get_by_label(re.compile("^Visa 4242")).check()
    page.get_by_role("button", name="Cadw'r cerdyn").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}$"))
    expect(page.get_by_role("status").first).to_contain_text("Cerdyn wedi'i gadw")
    expect(page.locator("#your-pledge")).to_contain_text("Rydych chi wedi addo £7")
