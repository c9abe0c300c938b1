"""In a real browser, against the Stripe emulator, on a desktop and on a 390x844 phone: a pledge collecting
with one card that needs the bank's check says so on its progress block; the pledger completes the check and
the payment is reserved; at the end of collection both are paid and the final figures and history stay. The
bar spans the main column, and every page passes axe-core at WCAG 2.2 AA without scrolling sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pledgebank.payments.gateway import TestCard
from tests.factories.pledges import (
    authenticate_card,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    sign,
    signup_state,
    use_card,
)
from tests.helpers.app import with_stripe
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _sign_in, _sign_out, _skip_ahead_as_chair

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The live server's settings, pointed at the emulator in test mode, with the demo clock buttons."""
    return {**with_stripe(app_config, stripe_api), "DEMO": True}


def _fits(page, what: str) -> None:
    """No sideways scrolling, and the bar as wide as the main column's text."""
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths}"
    bar = page.locator("#pledge-progress").bounding_box()
    column = page.locator("#progress-title").bounding_box()
    assert bar and column and bar["width"] >= column["width"] - 1, f"{what}: the bar is {bar}, not {column}"
    assert bar["width"] > 300, f"{what}: the bar is only {bar['width']}px wide"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_a_card_needing_a_bank_check_shows_on_the_progress_until_it_is_completed(
    page, app, sessions, viewport
):
    slug, chair, (ann, ben) = neighbourhood_with(sessions, residents=2)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=1000)
    pledge_with_card(app, pledge, ann)
    checked = sign(app, pledge, ben)
    use_card(app, checked, ben, TestCard.REQUIRES_AUTHENTICATION)
    authenticate_card(app, checked, ben)  # the card is saved and the target met; its hold wants a check too
    assert pledge_state(app, pledge) == "collecting"
    due(app)  # the other saved card's hold
    assert signup_state(app, checked) == "action_needed"
    page.set_viewport_size(viewport)
    size = f"at {viewport['width']}px"

    page.goto(f"/p/{pledge}")  # a signed-out visitor
    block = page.get_by_role("region", name="Progress")
    bar = page.get_by_role("progressbar", name="Progress")
    expect(bar).to_have_attribute("aria-valuetext", "100%: 2 of 2 people, £20 pledged")
    expect(block).to_contain_text("1 needs a bank check (£10)")
    expect(block).to_contain_text("1 needs attention (£10)")
    expect(block).to_contain_text("1 reserved on a card (£10), taken when collection ends")
    assert_accessible(page, f"a collecting pledge with a bank check waiting {size}")
    _fits(page, f"a collecting pledge {size}")

    _sign_in(page, "resident1@example.org")
    page.goto(f"/p/{pledge}")
    page.get_by_role("link", name="Fix your payment").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}/fix$"))
    page.get_by_role("button", name="Complete authentication").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}$"))
    expect(block).to_contain_text("2 reserved on cards (£20), taken when collection ends")
    expect(block).to_contain_text("None need attention.")
    expect(block).not_to_contain_text("bank check")
    assert_accessible(page, f"the collecting pledge after the bank check {size}")

    _skip_ahead_as_chair(page, "Skip ahead 3 days", "resident1@example.org")
    expect(page.get_by_text("Succeeded: it is going ahead")).to_be_visible()
    expect(bar).to_have_attribute("aria-valuetext", "100%: 2 of 2 people, £20 pledged")
    expect(page.locator("#final-figures")).to_contain_text("2 people paid (£20)")
    history = page.locator("#pledge-history")
    expect(history).to_contain_text("target met with 2 people and £20 pledged")
    expect(history).to_contain_text("succeeded: £20 collected from 2 people")
    assert_accessible(page, f"the pledge after success {size}")
    _fits(page, f"the pledge after success {size}")
    _sign_out(page)
