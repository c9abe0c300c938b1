"""In a real browser, against the Stripe emulator, on a desktop and a 390x844 phone: a resident whose card
pays one levy joins a second (address and band already filled in), is asked whether the same card may pay it,
sees the charges owed listed by levy and period with a total, confirms, and the money is taken once (the
same list confirmed again from a second tab takes nothing). Every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.levies import active_levy, charges_of, join_with_card, levy_world
from tests.factories.pledges import assert_books_ok, captured_in_stripe, due
from tests.helpers.app import PASSWORD, with_stripe
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser

STRIPE_WORK_MS = 45_000  # pages that call the Stripe emulator several times, on a busy machine


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The live server's settings, pointed at the emulator in test mode."""
    return with_stripe(app_config, stripe_api)


def _sign_in(page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))


def _fits(page, viewport: dict, what: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{what} is {width}px wide on a {viewport['width']}px screen"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_a_resident_joins_a_second_levy_agrees_to_the_card_and_confirms_the_charges_listed(
    page, app, sessions, viewport
):
    slug, chair, member, (ann, _) = levy_world(sessions, residents=2)
    lighting = active_levy(app, slug, chair, member, amount=1000)
    garden = active_levy(app, slug, chair, member, name="Garden square", amount=467)
    join_with_card(app, lighting, ann, "1 Elm Road", band="C")
    page.set_viewport_size(viewport)

    _sign_in(page, "resident0@example.org")
    page.goto(f"/levies/{garden}")
    expect(page.get_by_label("Your address")).to_have_value("1 Elm Road")
    expect(page.get_by_label("Council-tax band", exact=True)).to_have_value("C")
    page.get_by_role("button", name="Join for my household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Use the card ending 4242 for Garden square?")
    expect(page.get_by_text(re.compile("I authorise Garden square to take £4.67 each month"))).to_be_visible()
    assert_accessible(page, f"the use-this-card page at {viewport['width']}px")
    _fits(page, viewport, "the use-this-card page")

    due(app)  # meanwhile the first periods fall due: the lighting card pays lighting only
    due(app, days=31)
    assert [c.paid_via for c in charges_of(app, garden)] == [None, None]
    page.get_by_role("button", name="Yes, use the card ending 4242 for Garden square").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm what is taken now")
    table = page.get_by_role("table", name="Charges to take now from the card ending 4242")
    expect(table.get_by_role("row")).to_have_count(4)  # the header, two periods, the total
    expect(
        table.get_by_role("row", name=re.compile("^Garden square 2 March 2026 to 1 April 2026 £4.67"))
    ).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Total £9.34"))).to_be_visible()
    assert_accessible(page, f"the confirm-the-charges page at {viewport['width']}px")
    _fits(page, viewport, "the confirm-the-charges page")
    before = captured_in_stripe(app)[0]
    other_tab = page.context.new_page()  # the same list, open in a second tab
    other_tab.set_viewport_size(viewport)
    other_tab.goto(f"/levies/{garden}/charges/confirm")
    page.get_by_role("button", name="Pay £9.34 now with the card ending 4242").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "the charges listed are paid", timeout=STRIPE_WORK_MS
    )
    expect(page.get_by_role("cell", name=re.compile("^Paid by card on"))).to_have_count(2)
    assert_accessible(page, f"the levy page after paying at {viewport['width']}px")

    other_tab.get_by_role("button", name="Pay £9.34 now with the card ending 4242").click()
    expect(other_tab.get_by_role("status").first).to_contain_text("taken once", timeout=STRIPE_WORK_MS)
    assert captured_in_stripe(app)[0] == before + 934
    assert_books_ok(app)
