"""In a real browser: a newcomer registers, confirms their email, starts a neighbourhood and looks around;
every page on the way passes axe-core at WCAG 2.2 AA, the skip link works and the home page fits a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser

ADDRESS = "newcomer@example.org"


def test_home_page_fits_a_phone_and_its_skip_link_comes_first(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the home page scrolls sideways at 375px: {widths}"
    assert_accessible(page, "the home page at phone width")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")
    assert page.url.endswith("#main")


def test_newcomer_registers_confirms_and_starts_a_neighbourhood(page, outbox):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pool money with your neighbours")
    assert_accessible(page, "the home page")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    assert_accessible(page, "the register page")

    page.get_by_role("button", name="Create account").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_accessible(page, "the register page with errors")

    page.get_by_label("Email address").fill(ADDRESS)
    page.get_by_label("Your name, as neighbours will see it").fill("Nadia Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/login(#\w+)?$"))
    expect(page.get_by_role("status").first).to_contain_text("Check your email")
    assert_accessible(page, "the sign-in page")

    link = next(url for url in outbox.last(ADDRESS).links if "/verify/" in url)
    assert link.startswith(page.url.split("/login")[0]), f"the emailed link {link} is not on the live server"
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Your email address is confirmed. Sign in to continue.")).to_be_visible()
    assert_accessible(page, "the sign-in page after following the verification link")
    page.get_by_label("Email address").fill(ADDRESS)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Register")).to_have_count(0)
    assert_accessible(page, "the page after signing in")

    page.get_by_role("link", name="Start a neighbourhood").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a neighbourhood")
    assert_accessible(page, "the new neighbourhood form")

    page.get_by_label("Name", exact=True).fill("Larch Gardens")
    page.get_by_label("Postcode district").fill("SE22")
    page.get_by_label("What the neighbourhood is about").fill("Keeping the gardens green.")
    page.get_by_role("button", name="Create neighbourhood").click()
    expect(page).to_have_url(re.compile(r"/n/[a-z0-9-]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Larch Gardens")
    expect(page.get_by_text("you are its chair")).to_be_visible()
    expect(page.get_by_text(re.compile(r"You are a member: .*\bchair\b"))).to_be_visible()
    assert_accessible(page, "the neighbourhood page")

    page.get_by_role("navigation", name="Larch Gardens").get_by_role("link", name="Members").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="Nadia Newcomer", exact=True))
    expect(row).to_contain_text("chair")
    assert_accessible(page, "the members page")

    place_nav = page.get_by_role("navigation", name="Larch Gardens")
    place_nav.get_by_role("link", name="Settings").click()
    assert_accessible(page, "the settings page with the data controller's fields")
    page.get_by_label("Name of the group responsible for residents' data").fill("Larch Gardens Residents")
    page.get_by_label("Where residents can ask about their data").fill("data@larch.example.org")
    page.get_by_role("button", name="Save settings").click()
    place_nav.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy in Larch Gardens")
    expect(page.get_by_text("data@larch.example.org")).to_be_visible()
    assert_accessible(page, "the neighbourhood's privacy notice")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy and cookies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    assert_accessible(page, "the service's privacy notice")

    main_nav.get_by_role("link", name="Your account").click()
    expect(page.get_by_text(f"Signed in as Nadia Newcomer ({ADDRESS})")).to_be_visible()
    assert_accessible(page, "the account page")


def test_the_accessibility_check_catches_a_broken_page(page):
    page.goto("/login")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const broken = '<input type="text" id="orphan"><p id="pale">faint words</p>';
            main.insertAdjacentHTML('beforeend', broken);
            document.getElementById('pale').style.color = '#c8c8c8';
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "a page broken on purpose")
    report = str(failure.value)
    assert "- label (critical)" in report
    assert "#orphan" in report
    assert "- color-contrast (serious)" in report
    assert "#pale" in report
