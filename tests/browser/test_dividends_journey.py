"""In a real browser, a community dividend's journey: a committee member drafts an agreement (bad terms told
beside their fields first), the body's verifier signs it from the link emailed to them, the chair signs, the
committee gives the evidence, and the verifier verifies it from the same link; every page on the way passes
axe-core at WCAG 2.2 AA, and the books verify at the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.factories.grants import today, transactions, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _sign_in, _sign_out

pytestmark = pytest.mark.browser

VERIFIER = "sam.reed@fire.example"


def _draft(page, app) -> None:
    page.get_by_label("Title", exact=True).fill("Fewer deliberate fires on the estates")
    page.get_by_label("The body", exact=True).fill("South London Fire Service")
    page.get_by_label("Kind of body").select_option("fire_service")
    page.get_by_label("Outcome", exact=True).fill("Deliberate fires")
    page.get_by_label("Unit", exact=True).fill("fires a year")
    page.get_by_label("Down").check()
    page.get_by_label("Baseline", exact=True).fill("40")
    page.get_by_label("Period of the baseline").fill("April 2025 to March 2026")
    page.get_by_label("Source of the baseline").fill("Fire service incident records")
    page.get_by_label("Deadline", exact=True).fill((today(app) + timedelta(days=365)).isoformat())
    page.get_by_label("Evidence required").fill("The fire service's count of deliberate fires.")
    page.get_by_label("A fixed payment once the target is reached").check()
    page.get_by_label("Payment at the target, in pounds").fill("5000")
    page.get_by_label("Cap, in pounds").fill("5000")
    page.get_by_label("Who signs for the body").fill("Sam Reed")
    page.get_by_label("Signatory's email").fill(VERIFIER)
    page.get_by_label("Who verifies the outcome").fill("Sam Reed")
    page.get_by_label("Verifier's email").fill(VERIFIER)


def test_drafted_signed_and_verified_from_the_emailed_link(page, app, sessions, outbox):
    w = world(sessions)
    _sign_in(page, "member0@example.org")
    page.goto(f"/n/{w.slug}/dividends")
    assert_accessible(page, "the dividends page")
    page.get_by_role("link", name="Draft an agreement").click()
    _draft(page, app)
    page.get_by_label("Target", exact=True).fill("45")
    page.get_by_role("button", name="Draft the agreement").click()
    expect(page.get_by_role("alert")).to_contain_text("the target must be below the baseline")
    assert_accessible(page, "the draft form with errors")
    page.get_by_label("Target", exact=True).fill("30")
    page.get_by_role("button", name="Draft the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fewer deliberate fires on the estates")
    expect(page.get_by_text("Drafted, waiting for signatures")).to_be_visible()
    assert_accessible(page, "a drafted agreement")
    _sign_out(page)

    link = next(url for url in outbox.last(VERIFIER).links if "/body/" in url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Sign for South London Fire Service")).to_be_visible()
    assert_accessible(page, "the body's page before signing")
    page.get_by_role("button", name="Sign these terms").click()
    expect(page.get_by_role("status").first).to_contain_text("You signed the agreement")

    _sign_in(page, "chair@example.org")
    page.goto(f"/n/{w.slug}/dividends")
    page.get_by_role("link", name="Fewer deliberate fires on the estates").click()
    page.get_by_role("button", name="Sign these terms").click()
    expect(page.get_by_role("status").first).to_contain_text("You signed the agreement")
    expect(page.get_by_text("Agreed, waiting for evidence")).to_be_visible()
    page.get_by_label("Period", exact=True).fill("April 2026 to March 2027")
    page.get_by_label("Figure", exact=True).fill("28")
    page.get_by_role("button", name="Give the figure").click()
    expect(page.get_by_role("status").first).to_contain_text("The evidence is recorded")
    assert_accessible(page, "an agreement with evidence")
    _sign_out(page)

    page.goto(link)
    expect(page.get_by_text("Verified, it earns the neighbourhood £5,000.00")).to_be_visible()
    assert_accessible(page, "the verifier's page")
    page.get_by_role("button", name="Verify the outcome").click()
    expect(page.get_by_role("status").first).to_contain_text("You verified the outcome")
    page.goto(f"/n/{w.slug}/dividends")
    expect(page.get_by_role("table", name="Agreements, newest first")).to_contain_text(
        "Earned, waiting for the body to pay"
    )
    assert_accessible(page, "the dividends page with an earned agreement")
    assert [t.kind for t in transactions(app)] == ["dividend_earned"]
    assert_books_ok(app)
