"""In a real browser: the public chart of money in and out, and a treasurer's export and statement pages, all
axe-clean at WCAG 2.2 AA, with the wide statement tables usable at phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _no_sideways_scroll
from tests.helpers.export_pages import place_with_money

pytestmark = pytest.mark.browser


def test_the_chart_and_the_treasurers_pages_are_accessible(page, sessions):
    place = place_with_money(sessions)

    page.goto(f"/n/{place.slug}")
    chart = page.get_by_role("img", name=re.compile("Money in and out per month for each fund of Elm Park"))
    expect(chart).to_be_visible()
    page.get_by_text("The figures behind the chart").click()
    expect(page.get_by_role("table", name="Playground fund: money in and out per month")).to_be_visible()
    assert_accessible(page, "the neighbourhood page with its chart")
    _no_sideways_scroll(page, "the neighbourhood page")

    page.goto("/login")
    page.get_by_label("Email address").fill("treasurer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/n/{place.slug}")
    page.get_by_role("navigation", name="Elm Park").get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export the books of Elm Park")
    expect(page.get_by_role("radio", name=re.compile("^CSV"))).to_be_checked()
    assert_accessible(page, "the exports page")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename == f"{place.slug}-ledger-1-5.csv"
    page.reload()
    expect(page.get_by_role("table", name="The latest exports of this book, newest first")).to_contain_text(
        "csv"
    )
    assert_accessible(page, "the exports page with an export made")

    page.get_by_role("navigation", name="Elm Park").get_by_role("link", name="Statements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statements of Elm Park")
    page.wait_for_load_state("load")
    assert_accessible(page, "the statements page")
    page.get_by_role("button", name="Show the trial balance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trial balance at the end of 2 March 2026")
    assert_accessible(page, "the trial balance")
    _no_sideways_scroll(page, "the trial balance")

    page.goto(f"/n/{place.slug}/statements")
    page.get_by_label("Financial year starting in").fill("2025")
    page.get_by_role("button", name="Show receipts and payments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Receipts and payments, 1 April 2025 to 31 March 2026"
    )
    expect(page.get_by_role("table", name=re.compile("Receipts and payments account"))).to_contain_text(
        "£145.00"
    )
    assert_accessible(page, "the receipts and payments account")
    _no_sideways_scroll(page, "the receipts and payments account")
