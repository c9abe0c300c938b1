"""In a real browser, on a desktop and on a 390x844 phone: the chair reads the audit log in sentences, chooses
a person and a kind of event, follows a levy's name to its page; every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from pledgebank.demo import DEMO_PASSWORD
from tests.factories.seeded import CHAIR, seed
from tests.helpers.app import with_stripe
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict, stripe_emulator: str) -> dict:
    """The browser tests' settings, with the local Stripe emulator (the demo saves cards)."""
    reset = urllib.request.Request(f"{stripe_emulator}/_config/data", method="DELETE")  # noqa: S310
    urllib.request.urlopen(reset, timeout=5)  # noqa: S310 - our own local emulator
    return with_stripe(app_config, stripe_emulator)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_the_chair_reads_and_filters_the_audit_log(page, app, viewport):
    seeded = seed(app)
    page.set_viewport_size(viewport)
    page.goto("/login")
    page.get_by_label("Email address").fill(CHAIR)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/n/{seeded.slug}/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log of Elm Park")
    log = page.get_by_role("region", name=re.compile("Audit events"))
    expect(log).to_contain_text("Priya Shah made Tom Okafor treasurer")
    assert_accessible(page, f"the audit log at {viewport['width']}px")
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the audit log scrolls sideways: {width}"

    page.get_by_label("Person").select_option(label="Priya Shah")
    page.get_by_label("Kind of event").select_option(label="Hardship requests")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/audit\?person=\d+&kind=hardship$"))
    rows = log.get_by_role("row")
    expect(rows).to_have_count(2)  # the heading row and the one decision
    expect(rows.nth(1)).to_contain_text(
        re.compile(r"Priya Shah approved Li Wei's hardship request: £\d+\.\d\d off the \w+ \d{4} charge")
    )
    assert_accessible(page, f"the filtered audit log at {viewport['width']}px")

    rows.nth(1).get_by_role("link", name="Street lighting").click()
    expect(page).to_have_url(re.compile(r"/levies/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Street lighting")
