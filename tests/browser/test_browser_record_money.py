"""In a real browser: the treasurer records a donation on the "Record money" page, is told beside the field
when the amount is wrong, and the page passes axe-core at WCAG 2.2 AA with and without errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import assert_books_ok, balance
from tests.helpers.app import PASSWORD, add_member, make_neighbourhood, make_user
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_the_treasurer_records_a_donation(page, app, sessions):
    chair = make_user(sessions, "chair@example.org", "Chloe Chair")
    treasurer = make_user(sessions, "treasurer@example.org", "Tariq Treasurer")
    slug = make_neighbourhood(sessions, chair, name="Rye Lane")
    add_member(sessions, slug, treasurer, "treasurer")

    page.goto("/login")
    page.get_by_label("Email address").fill("treasurer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/n/{slug}/ledger")
    page.get_by_role("link", name="Record money").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record money")
    assert_accessible(page, "the record money page")

    page.get_by_label("Donation received").check()
    page.get_by_label("Amount", exact=True).fill("12.505")
    page.get_by_label("Cash", exact=True).check()
    page.get_by_label("Description").fill("Collection at the fete")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#amount-error")).to_be_visible()
    assert_accessible(page, "the record money page with an error")

    page.get_by_label("Amount", exact=True).fill("12.50")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded in the ledger.")).to_be_visible()
    expect(page.get_by_role("table", name="The latest entries recorded here, newest first")).to_contain_text(
        "Collection at the fete"
    )
    assert balance(app, "assets:cash") == 1_250
    assert_books_ok(app)
