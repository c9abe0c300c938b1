"""In a real browser: the treasurer opens the card payments page, asks to refund more than is left of a
payment and is told so beside the amount, then refunds part of it and sees it refunded; the page is axe-clean
at WCAG 2.2 AA with and without the error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import assert_books_ok, balance
from tests.helpers.app import with_stripe
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _sign_in
from tests.helpers.refunds import paid_pledge

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The browser's app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def test_the_treasurer_refunds_part_of_a_card_payment(page, app, sessions):
    slug, _, (first, _) = paid_pledge(app, sessions)
    _sign_in(page, "chair@example.org")
    page.goto(f"/n/{slug}")
    page.get_by_role("link", name="Card payments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Card payments")
    assert_accessible(page, "the card payments page")

    payment = page.locator(f"#payment-{first}")
    payment.get_by_label("Amount to refund").fill("10.01")
    payment.get_by_role("button", name="Refund").click()
    error = page.locator(f"#payment-{first}").locator(".error-message")
    expect(error).to_contain_text("more than is left of this payment to refund: 10.00 GBP")
    assert_accessible(page, "the card payments page with a refusal")
    assert balance(app, "income") == -2000

    page.locator(f"#payment-{first}").get_by_label("Amount to refund").fill("2.50")
    page.locator(f"#payment-{first}").get_by_role("button", name="Refund").click()
    expect(page.get_by_text("The refund is on its way to the card.")).to_be_visible()
    expect(page.locator(f"#payment-{first}")).to_contain_text("Refunded £2.50")
    assert balance(app, "income") == -1750
    assert_books_ok(app)
