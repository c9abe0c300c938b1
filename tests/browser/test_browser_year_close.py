"""In a real browser: the treasurer closes a financial year from the statements page, after a confirmation
page showing what moves into each fund's balance; the pages are axe-clean at WCAG 2.2 AA, also at phone
width, and so is the funds page where the committee adds a restricted fund."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import assert_books_ok
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _no_sideways_scroll, _sign_in
from tests.helpers.export_pages import place_with_money

pytestmark = pytest.mark.browser


def test_the_treasurer_closes_a_year_and_the_committee_adds_a_restricted_fund(page, app, sessions):
    place = place_with_money(sessions)
    _sign_in(page, "treasurer@example.org")
    page.goto(f"/n/{place.slug}/statements")
    page.get_by_role("link", name="Close a financial year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close a financial year")
    page.get_by_label("Close the books through").fill("2026-01-31")
    page.get_by_role("button", name="Show what closing would move").click()
    table = page.get_by_role(
        "table", name=re.compile("Each fund's income and expenses up to 31 January 2026")
    )
    expect(table).to_contain_text("£45.00")
    assert_accessible(page, "the confirmation of a year-end close")
    _no_sideways_scroll(page, "the confirmation of a year-end close")
    page.get_by_role("button", name="Close the books through 31 January 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statements of Elm Park")
    expect(page.get_by_text("The books are closed through 31 January 2026.")).to_be_visible()
    assert_accessible(page, "the statements page after a close")
    assert_books_ok(app)

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, "committee@example.org")
    page.goto(f"/n/{place.slug}/funds")
    page.get_by_label("Fund name").fill("Street trees")
    page.get_by_role("radio", name=re.compile("^Restricted")).check()
    page.get_by_role("button", name="Add fund").click()
    expect(page.get_by_text("Say what the money was given for").first).to_be_visible()
    assert_accessible(page, "the funds page with an error")
    page.get_by_label("Purpose the money was given for").fill("To plant twenty street trees on Elm Road.")
    page.get_by_role("button", name="Add fund").click()
    expect(page.get_by_text("Restricted: To plant twenty street trees on Elm Road.")).to_be_visible()
    assert_accessible(page, "the funds page")
