"""In a real browser, desktop and a 390 by 844 phone: a visitor arrives from a shared short link, reads the
pledge sentence, copies the link, opens the flyer, and the flyer printed (print media emulated) fits one A4
page, even with the longest title, sentence and creator's name the service accepts. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge
from tests.factories.pledges import make_pledge
from tests.helpers.app import add_member, make_neighbourhood, make_user
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_TITLE = ("Mend the playground fence and the gate beside the swings " * 3)[:120].strip()
LONG_ACTION = ("mend every broken post and panel of the playground fence, paint it green, " * 3)[:200].strip()
LONG_NAME = ("Priya Anjali Shah-Montgomery-Fitzwilliam " * 2)[:80].strip()


def _pledge(app, sessions, *, name: str, title: str, action: str) -> tuple[int, str]:
    chair = make_user(sessions, "chair@example.org", name)
    slug = make_neighbourhood(sessions, chair)
    add_member(sessions, slug, make_user(sessions, "ann@example.org", "Ann"))
    pledge = make_pledge(app, slug, chair, title=title, action=action, target_pledgers=5)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return pledge, session.get_one(Pledge, pledge).short_code


def _printed_pages(page) -> int:
    """Pages in the PDF Chromium prints of this page, with print media emulated and the CSS page size."""
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    page.emulate_media(media="screen")
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"the page is {width}px wide in a {viewport}px window"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_visitor_arrives_from_a_short_link_reads_shares_and_prints(
    app, sessions, context, page, live_server, viewport
):
    pledge, code = _pledge(
        app,
        sessions,
        name="Priya Shah",
        title="Mend the playground fence",
        action="mend the playground fence",
    )
    if viewport:
        page.set_viewport_size(viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)

    page.goto(f"/p/{code}")
    expect(page).to_have_url(f"{live_server}/p/{pledge}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mend the playground fence")
    sentence = "Priya Shah will mend the playground fence with £10 a person, but only if 5 people will too."
    expect(page.locator(".pledge-sentence")).to_have_text(sentence)
    assert page.locator('meta[property="og:description"]').get_attribute("content").startswith(sentence)
    _no_sideways_scroll(page)
    assert_accessible(page, "the pledge page reached from its short link")

    field = page.get_by_label("Short link to this pledge")
    expect(field).to_have_value(f"{live_server}/p/{code}")
    expect(field).to_have_attribute("readonly", "")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#share-copied")).to_have_text("Link copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{live_server}/p/{code}"
    email = page.get_by_role("link", name=re.compile("^Email"))
    assert email.get_attribute("href").startswith("mailto:?subject=Mend%20the%20playground%20fence")

    page.get_by_role("link", name="A4 flyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flyer: Mend the playground fence")
    expect(page.get_by_role("img", name=f"QR code for {live_server}/p/{code}")).to_be_visible()
    expect(page.get_by_role("button", name="Print the flyer")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page, "the A4 flyer")
    assert _printed_pages(page) == 1

    page.get_by_role("link", name="Two A5 flyers on one sheet instead").click()
    expect(page.locator("article.flyer")).to_have_count(2)
    assert_accessible(page, "the A5 two-up flyer")
    assert _printed_pages(page) == 1


@pytest.mark.parametrize("layout", ["a4", "a5"])
def test_the_longest_pledge_still_prints_on_one_page(app, sessions, page, layout):
    pledge, _code = _pledge(app, sessions, name=LONG_NAME, title=LONG_TITLE, action=LONG_ACTION)
    assert len(LONG_TITLE) == 120 and len(LONG_ACTION) == 200 and len(LONG_NAME) == 80
    page.goto(f"/p/{pledge}/flyer?layout={layout}")
    expect(page.locator(".flyer-sentence").first).to_contain_text(LONG_ACTION)
    assert _printed_pages(page) == 1

    # The page itself tells us the flyer fits: in print media every flyer ends above the A4 page's bottom.
    page.emulate_media(media="print")
    heights = page.evaluate(
        "() => [...document.querySelectorAll('article.flyer')].map(a => [a.scrollHeight, a.clientHeight])"
    )
    assert all(scroll <= client for scroll, client in heights), heights
    page.set_viewport_size(PHONE)
    page.emulate_media(media="screen")
    _no_sideways_scroll(page)
    assert_accessible(page, f"the {layout} flyer of the longest pledge on a phone")
