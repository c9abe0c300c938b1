"""In Chromium, on a desktop and a 390x844 phone: a visitor signs up for alerts on a pledge's page and
starts them with the emailed link; a resident comments on the pledge with HTML, a very long word and
right-to-left text, which render as text and wrap. Every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.pledges import make_pledge, neighbourhood_with
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
VISITOR = "visitor@example.org"
HOSTILE = "<b>Fence</b> " + "Woooooo" * 40 + " شكرا للجيران"


def _fits(page, what: str) -> None:
    page.wait_for_load_state("load")  # the address changes before the page's stylesheet has laid it out
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} scrolls sideways: {widths}"


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_visitor_signs_up_for_alerts_on_a_pledge_page(page, app, sessions, outbox, size):
    page.set_viewport_size(SIZES[size])
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    pledge = make_pledge(app, slug, chair)
    page.goto(f"/p/{pledge}")
    section = page.get_by_role("region", name="Hear about new pledges")
    expect(section).to_contain_text("when a pledge opens in Elm Park")
    assert_accessible(page, f"the pledge page for a visitor ({size})")
    section.get_by_role("button", name="Email me about new pledges").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Your email address")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"the alerts form with errors ({size})")
    page.get_by_label("Your email address").fill(VISITOR)
    page.get_by_label("A weekly digest").check()
    page.get_by_role("button", name="Email me about new pledges").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}$"))
    expect(page.get_by_role("status").first).to_contain_text("Check your email")

    page.goto(outbox.last(VISITOR).path("/alerts/confirm/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your alerts?")
    expect(page.locator("#consequences")).to_contain_text("a weekly digest")
    assert_accessible(page, f"the alerts confirm page ({size})")
    _fits(page, "the alerts confirm page")
    page.get_by_role("button", name="Yes, start my alerts").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Your alerts about new pledges in Elm Park have started"
    )


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_resident_comments_and_hostile_words_render_as_text_and_wrap(page, app, sessions, size):
    page.set_viewport_size(SIZES[size])
    slug, chair, _ = neighbourhood_with(sessions, residents=1)
    pledge = make_pledge(app, slug, chair)
    page.goto("/login")
    page.get_by_label("Email address").fill("resident0@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/p/{pledge}")
    comments = page.get_by_role("region", name="Comments and questions")
    expect(comments).to_contain_text("No comments or questions yet")
    comments.get_by_role("button", name="Post").click()
    expect(page.get_by_label("Your comment or question")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"the comment form with errors ({size})")
    page.get_by_label("Your comment or question").fill(HOSTILE)
    page.get_by_role("button", name="Post").click()
    expect(page).to_have_url(re.compile(rf"/p/{pledge}#comment-\d+$"))
    body = page.locator(".comment-body").first
    expect(body).to_have_text(HOSTILE)
    expect(page.locator(".comment b")).to_have_count(0)
    _fits(page, "the pledge page with a long comment")
    box = body.bounding_box()
    assert box is not None and box["x"] + box["width"] <= SIZES[size]["width"]
    assert_accessible(page, f"the pledge page with a comment ({size})")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_visitor_asks_for_alerts_about_a_postcode_district(page, sessions, outbox, size):
    page.set_viewport_size(SIZES[size])
    slug, _, _ = neighbourhood_with(sessions, residents=0)
    page.goto(f"/n/{slug}")
    assert_accessible(page, f"the neighbourhood page with its alerts form ({size})")
    page.get_by_role("region", name="Hear about new pledges").get_by_role(
        "link", name="Or choose a postcode district"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts about new pledges")
    page.get_by_label("Postcode district").fill("Peckham")
    page.get_by_label("Your email address").fill(VISITOR)
    page.get_by_role("button", name="Email me about new pledges").click()
    expect(page.get_by_label("Postcode district")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"the alerts page with errors ({size})")
    _fits(page, "the alerts page")
    page.get_by_label("Postcode district").fill("se15")
    page.get_by_role("button", name="Email me about new pledges").click()
    expect(page.get_by_role("status").first).to_contain_text("Check your email")
    assert "SE15" in outbox.last(VISITOR).subject
