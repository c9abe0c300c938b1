"""Helpers shared by several test files."""

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
