"""In a real browser, against the Stripe emulator: residents join a banded levy for their households and
save cards (one through the bank's check), demo time moves on, the first charges are taken (one after the
bank's check on the pay-now page), and the receipt is there; the committee's and treasurer's pages too.
Every levy page on the way passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.levies import active_levy, levy_world
from tests.factories.pledges import assert_books_ok
from tests.helpers.app import PASSWORD, with_stripe
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser

RECEIPT = "Receipt: Street lighting paid"
STRIPE_WORK_MS = 45_000  # pages that call the Stripe emulator several times, on a busy machine


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The live server's settings, pointed at the emulator in test mode, with the demo clock buttons."""
    return {**with_stripe(app_config, stripe_api), "DEMO": True}


def _sign_in(page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))


def _sign_out(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def _skip_ahead_as_chair(page, label: str, resident: str) -> None:
    """Only officers move the demo's clock: the chair presses the button on this page, then the resident
    comes back to it."""
    here = page.url
    _sign_out(page)
    _sign_in(page, "chair@example.org")
    page.goto(here)
    page.get_by_role("button", name=label).click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The clock moved forward", timeout=STRIPE_WORK_MS
    )
    _sign_out(page)
    _sign_in(page, resident)
    page.goto(here)


def _join(page, levy: int, address: str, band: str) -> None:
    page.goto(f"/levies/{levy}")
    page.get_by_label("Your address").fill(address)
    page.get_by_label("Council-tax band", exact=True).select_option(band)
    page.get_by_role("button", name="Join for my household").click()
    expect(page.get_by_role("status").first).to_contain_text("Your household has joined")
    page.get_by_role("link", name="Save a card").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save a card for your household")


def test_residents_join_a_levy_pay_the_first_charge_and_get_a_receipt(page, app, sessions, outbox):
    slug, chair, member, _ = levy_world(sessions, residents=2)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=900)

    _sign_in(page, "committee@example.org")
    page.goto(f"/n/{slug}/levies/new")
    assert_accessible(page, "the new levy form")
    page.get_by_label("Amount each period, in pounds").fill("lots")
    page.get_by_role("button", name="Save the levy").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the new levy form with errors")
    page.goto(f"/levies/{levy}/households")
    assert_accessible(page, "the household register")
    _sign_out(page)

    _sign_in(page, "resident0@example.org")
    page.goto(f"/n/{slug}")
    page.get_by_role("navigation", name="Elm Park").get_by_role("link", name="Levies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Levies in Elm Park")
    assert_accessible(page, "the levy list")
    page.get_by_role("link", name="Street lighting").click()
    expect(page.get_by_text("£9.00 a month in band D")).to_be_visible()
    assert_accessible(page, "the levy page")
    page.get_by_role("button", name="Join for my household").click()
    expect(page.get_by_label("Your address")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the levy page with errors")
    _join(page, levy, "1 Elm Road", "C")
    assert_accessible(page, "the card page")
    page.get_by_label("Visa 4242 4242 4242 4242: always succeeds").check()
    page.get_by_role("button", name="Save card").click()
    expect(page.get_by_role("status").first).to_contain_text("card ending 4242", timeout=STRIPE_WORK_MS)
    _sign_out(page)

    _sign_in(page, "resident1@example.org")
    _join(page, levy, "2 Elm Road", "H")
    page.get_by_label(re.compile("asks the bank to authenticate")).check()
    page.get_by_role("button", name="Save card").click()
    expect(page).to_have_url(re.compile(rf"/levies/{levy}/card/check"), timeout=STRIPE_WORK_MS)
    assert_accessible(page, "the bank's check page")
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.get_by_role("status").first).to_contain_text("card ending 3155", timeout=STRIPE_WORK_MS)

    _skip_ahead_as_chair(page, "Skip ahead 1 day", "resident1@example.org")  # the first charges fall due
    expect(page.get_by_text("the bank wants to check the payment")).to_be_visible(timeout=STRIPE_WORK_MS)
    page.get_by_role("link", name=re.compile("^Pay now")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your charge for the period from 2 March 2026")
    assert_accessible(page, "the pay-now page")
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.get_by_role("status").first).to_contain_text("the charge is paid", timeout=STRIPE_WORK_MS)
    expect(page.get_by_text("Paid by card")).to_be_visible()
    _sign_out(page)

    _sign_in(page, "resident0@example.org")
    page.goto(f"/levies/{levy}")
    expect(page.get_by_role("cell", name=re.compile("^Paid by card on"))).to_be_visible()
    page.get_by_role("link", name="Levies in Elm Park").click()
    page.get_by_role("link", name="Your household's charges").click()
    assert_accessible(page, "your household's charges")
    page.get_by_role("link", name=re.compile("^Receipt")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt")
    expect(page.get_by_text("£8.00 by card on 3 March 2026")).to_be_visible()
    assert_accessible(page, "the receipt")
    _sign_out(page)

    _sign_in(page, "chair@example.org")
    page.goto(f"/n/{slug}/levies/accounts")
    expect(page.get_by_role("row", name=re.compile("^Total 2 £26.00 £26.00 £0.00 £0.00"))).to_be_visible()
    assert_accessible(page, "the levy accounts")
    for address in ("resident0@example.org", "resident1@example.org"):
        assert RECEIPT in [mail.subject for mail in outbox.to(address)], address
    assert_books_ok(app)
