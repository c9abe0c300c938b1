"""In a real browser, no card anywhere: a visitor finds local pledges from the home page by their postcode
district, opens a pledge of time, signs in as a resident and signs up with one button; the last needed
sign-up makes it succeed and the page shows what happens next. Every page on the way passes axe-core at WCAG
2.2 AA, on a desktop and on a 390x844 phone, and none scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import neighbourhood_with, pledge_state, sign
from tests.factories.time_pledges import NEXT_STEPS, TITLE, time_pledge
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


def _checked(page, what: str) -> None:
    assert_accessible(page, what)
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths}"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_from_the_home_page_to_a_local_pledge_of_time_and_signing_it(page, app, sessions, viewport):
    slug, chair, (ann, _ben) = neighbourhood_with(sessions, residents=2)  # Elm Park, SE15
    pledge = time_pledge(app, slug, chair, target_pledgers=2)
    sign(app, pledge, ann, method="time")
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}px"

    page.goto("/")
    _checked(page, f"the home page at {size}")
    page.get_by_label("Your postcode district").fill("se15")
    page.get_by_role("button", name="Find pledges near me").click()
    expect(page.get_by_role("heading", name="Pledges near SE15")).to_be_visible()
    _checked(page, f"the home page's pledges near SE15 at {size}")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#progress-words")).to_contain_text("1 of 2 people signed up")
    _checked(page, f"a pledge of time, signed out, at {size}")

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill("resident1@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/p/{pledge}")
    expect(page.get_by_text("£")).to_have_count(0)
    page.get_by_role("button", name="Sign up: I will too").click()

    expect(page.get_by_role("status").first).to_contain_text("you have signed up")
    expect(page.locator("#your-pledge")).to_contain_text("You have signed up")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_text(NEXT_STEPS)).to_be_visible()
    expect(page.locator("#progress-words")).to_contain_text("2 of 2 people signed up")
    _checked(page, f"a pledge of time that has succeeded, signed in, at {size}")
    assert pledge_state(app, pledge) == "succeeded"
