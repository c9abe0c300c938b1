"""In a real browser, on a desktop and on a 390x844 phone: the treasurer records part of a levy charge
received in cash, entering the amount and the day; a wrong amount is told beside its field; the rest is still
owed, and the books say so. Every page passes axe-core at WCAG 2.2 AA and none scrolls sideways."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pledgebank import money_words
from pledgebank.books.models import LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.levies.models import LevyCharge
from tests.factories.grants import clock_now
from tests.factories.levies import active_levy, join, levy_world
from tests.factories.pledges import assert_books_ok, balance, due
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


def _charges(app) -> dict[str, tuple[int, str]]:
    """Each charge's amount still owed and status, by the household's address."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return {
            charge.household.address: (charge.amount_due, charge.status)
            for charge in session.scalars(select(LevyCharge))
        }


def _fits(page, what: str) -> None:
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths}"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_the_treasurer_records_part_of_a_charge_received_in_cash(app, page, sessions, viewport):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "1 Elm Road")
    join(app, levy, ben, "2 Elm Road")
    due(app)
    owed, _ = _charges(app)["1 Elm Road"]
    assert owed > 300
    part = owed - 300  # all but £3.00
    received_on = (clock_now(app) - timedelta(days=1)).date()

    page.set_viewport_size(viewport)
    page.goto("/login")
    page.get_by_label("Email address").fill("chair@example.org")  # the chair is also the treasurer
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/n/{slug}/levies/accounts")
    page.get_by_role("button", name=re.compile(r"^Received in cash from 1 Elm Road")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record money received")
    expect(page.locator("#consequences")).to_contain_text("1 Elm Road: Street lighting")
    expect(
        page.get_by_text(f"{money_words.full(owed, 'GBP')} is owed. Enter less for a part payment")
    ).to_be_visible()
    assert_accessible(page, f"recording money received at {viewport['width']}px")
    _fits(page, "recording money received")

    amount = page.get_by_label("Amount received, in pounds")
    amount.fill("4.005")
    page.get_by_role("button", name="Record the money received").click()
    expect(page.locator("#amount-error")).to_be_visible()
    assert_accessible(page, f"a wrong amount at {viewport['width']}px")
    assert _charges(app)["1 Elm Road"] == (owed, "due")  # nothing half-written

    page.get_by_label("In cash").check()
    amount.fill(f"{part // 100}.{part % 100:02d}")
    page.get_by_label("Day it was received").fill(received_on.isoformat())
    page.get_by_role("button", name="Record the money received").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Levy accounts")
    expect(
        page.get_by_text(f"Recorded: {money_words.full(part, 'GBP')} received. £3.00 is still owed.")
    ).to_be_visible()
    waiting = page.get_by_role("listitem").filter(has_text="1 Elm Road: Street lighting")
    expect(waiting).to_be_visible()
    expect(
        waiting.get_by_role("button", name=re.compile(r"^Received in cash from 1 Elm Road"))
    ).to_be_visible()
    assert_accessible(page, f"the levy accounts after a part payment at {viewport['width']}px")

    assert _charges(app)["1 Elm Road"][0] == 300
    assert _charges(app)["2 Elm Road"] == (owed, "due")
    assert balance(app, "assets:cash") == part
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        latest = session.scalars(
            select(LedgerTransaction).order_by(LedgerTransaction.sequence.desc())
        ).first()
        assert latest is not None and latest.effective_date == received_on  # the day entered
    assert_books_ok(app)
