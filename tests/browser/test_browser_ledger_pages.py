"""In a real browser: a treasurer signs in and reads the ledger and the check of the books; both pages pass
axe-core at WCAG 2.2 AA with real transactions on them, and the ledger's wide tables work on a phone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from pledgebank.books import services as books
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from tests.helpers.app import PASSWORD, WHEN, add_member, make_neighbourhood, make_user, neighbourhood
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


def _receive(sessions, slug: str, key: str, pence: int, on: date) -> None:
    with unit_of_work(sessions) as session:
        book = books.book_of(session, neighbourhood(session, slug).id)
        entry = rules.cash_received(
            amount=Money(pence, "GBP"),
            fund="general",
            income_source="donations",
            key=key,
            on=on,
            source={"test": key},
        )
        books.post(session, book=book, entry=entry, now=WHEN)


def test_treasurer_reads_the_ledger_and_checks_the_books(page, sessions):
    chair = make_user(sessions, "chair@example.org", "Chloe Chair")
    treasurer = make_user(sessions, "treasurer@example.org", "Tariq Treasurer")
    slug = make_neighbourhood(sessions, chair, name="Rye Lane")
    add_member(sessions, slug, treasurer, "treasurer")
    _receive(sessions, slug, "t:1", 1000, date(2026, 3, 1))
    _receive(sessions, slug, "t:2", 2550, date(2026, 3, 2))

    page.goto("/login")
    page.get_by_label("Email address").fill("treasurer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/n/{slug}")
    page.get_by_role("navigation", name="Rye Lane").get_by_role("link", name="Ledger").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ledger of Rye Lane")
    expect(page.get_by_text("2 transactions, newest first.")).to_be_visible()
    expect(page.get_by_role("heading", level=3)).to_have_count(2)
    funds = page.get_by_role("table", name="Money per fund")
    general = funds.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="General fund", exact=True)
    )
    expect(general).to_contain_text("£35.50")
    assert_accessible(page, "the ledger page")

    page.set_viewport_size({"width": 375, "height": 740})
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the ledger page scrolls sideways at 375px: {widths}"
    assert_accessible(page, "the ledger page at phone width")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Check the books").click()
    expect(page).to_have_url(re.compile(rf"/n/{slug}/ledger/check$"))
    expect(page.get_by_role("status")).to_contain_text("The books are intact: 2 transactions")
    assert_accessible(page, "the check of the books")
