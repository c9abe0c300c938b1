"""In a real browser, signed out: a visitor opens the demo neighbourhood's open books and follows a pound to
the pledge, the grant and the levy it came from or went to, each open to a visitor; the money page and the
pages it leads to pass axe-core at WCAG 2.2 AA on a desktop and on a 390x844 phone, and never scroll
sideways."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.factories.seeded import seed
from tests.helpers.app import with_stripe
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict, stripe_emulator: str) -> dict:
    """The browser tests' settings, with the local Stripe emulator (the demo saves cards)."""
    reset = urllib.request.Request(f"{stripe_emulator}/_config/data", method="DELETE")  # noqa: S310
    urllib.request.urlopen(reset, timeout=5)  # noqa: S310 - our own local emulator
    return with_stripe(app_config, stripe_emulator)


def _no_sideways_scroll(page, what: str) -> None:
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths}"


def _readable_signed_out(page, what: str) -> None:
    """The page a pound led to is open to a visitor: no sign-in wall, accessible, no sideways scrolling."""
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_have_count(0)
    assert_accessible(page, what)
    _no_sideways_scroll(page, what)


def _open_books(page, slug: str) -> None:
    page.goto(f"/n/{slug}")
    page.get_by_role("link", name=re.compile(r"money came from and went")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Money of Elm Park")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_a_visitor_follows_a_pound_to_its_pledge_grant_and_levy(page, app, viewport):
    seeded = seed(app)
    page.set_viewport_size(viewport)
    _open_books(page, seeded.slug)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", name="Check these books yourself")).to_be_visible()
    assert_accessible(page, f"the money page at {viewport['width']}px")
    _no_sideways_scroll(page, f"the money page at {viewport['width']}px")

    page.get_by_role("link", name=re.compile(r"^Pledge: Buy litter pickers")).first.click()
    expect(page).to_have_url(re.compile(r"/p/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buy litter pickers")
    _readable_signed_out(page, f"the pledge at {viewport['width']}px")

    _open_books(page, seeded.slug)
    page.get_by_role("link", name=re.compile(r"^Grant to Elm Park Juniors: Youth football kit")).click()
    expect(page).to_have_url(re.compile(rf"/n/{seeded.slug}/grants#grant-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_contain_text("Youth football kit")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    _readable_signed_out(page, f"the grant at {viewport['width']}px")

    _open_books(page, seeded.slug)
    page.get_by_label("Fund", exact=True).select_option(label="General fund")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"/n/{seeded.slug}/money/general(\?month=)?$"))
    page.get_by_role("link", name=re.compile(r"^Levy: Street lighting")).first.click()
    expect(page).to_have_url(re.compile(r"/levies/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Street lighting")
    _readable_signed_out(page, f"the levy at {viewport['width']}px")

    _open_books(page, seeded.slug)
    page.get_by_role("link", name="Transaction 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transaction #1")
    expect(page.get_by_text("Donation (anonymous)")).to_be_visible()
    assert_accessible(page, f"a transaction page at {viewport['width']}px")
    _no_sideways_scroll(page, f"a transaction page at {viewport['width']}px")
