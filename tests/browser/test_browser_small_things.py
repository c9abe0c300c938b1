"""In a real browser on a phone (390 by 844): the treasurer's levy accounts keep their arrears columns within
reach (the table scrolls sideways inside a labelled region, the page itself does not), the 404 page is in the
site's style with its favicon, headings keep clear of the header bar, and every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.levies import active_levy, join, levy_world
from tests.factories.pledges import due
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _sign_in(page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))


def _gap_below_header(page) -> float:
    return page.evaluate(
        "() => document.querySelector('main h1').getBoundingClientRect().top"
        " - document.querySelector('.site-header').getBoundingClientRect().bottom"
    )


def test_the_levy_accounts_fit_a_phone(app, page, sessions):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "1 Elm Road")
    join(app, levy, ben, "2 Elm Road")
    due(app)
    page.set_viewport_size(PHONE)
    _sign_in(page, "chair@example.org")
    page.goto(f"/n/{slug}/levies/accounts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Levy accounts")
    assert _gap_below_header(page) >= 16, "the heading keeps clear of the header bar"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page itself is {width}px wide on a {PHONE['width']}px phone"
    region = page.get_by_role("region", name=re.compile("Street lighting: money per period"))
    expect(region).to_be_visible()
    expect(page.get_by_text("Scroll the table sideways to see every column.").first).to_be_visible()
    arrears = region.get_by_role("columnheader", name=re.compile("^Arrears 90"))
    arrears.scroll_into_view_if_needed()
    expect(arrears).to_be_in_viewport()
    assert_accessible(page, "the levy accounts on a phone")

    page.get_by_role("button", name=re.compile("^Received in cash")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record money received")
    assert_accessible(page, "recording money received on a phone")


def test_the_404_page_is_in_the_site_style_on_a_phone(page):
    page.set_viewport_size(PHONE)
    response = page.goto("/p/abc")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("There is no page at this address.")).to_be_visible()
    expect(page.get_by_role("link", name="PledgeBank")).to_be_visible()
    assert page.evaluate("() => document.querySelector('link[rel=icon]').href").endswith(
        "/static/favicon.svg"
    )
    assert _gap_below_header(page) >= 16
    assert_accessible(page, "the 404 page on a phone")
