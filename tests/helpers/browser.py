"""Helpers for the browser tests: signing in and out, the demo clock, phone widths, axe-core."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible


def _sign_in(page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))


def _no_sideways_scroll(page, what: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways at 375px: {widths}"
    assert_accessible(page, f"{what} at phone width")
    page.set_viewport_size({"width": 1280, "height": 900})


AXE = Path(__file__).parents[1] / "browser" / "vendor" / "axe.min.js"


TIMEOUT_MS = 15_000


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
    expect(page.get_by_role("status").first).to_contain_text("The clock moved forward")
    _sign_out(page)
    _sign_in(page, resident)
    page.goto(here)
