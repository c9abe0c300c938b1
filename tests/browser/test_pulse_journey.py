"""In a real browser: a resident answers the neighbourhood pulse on a phone-sized window (the fifth to answer,
so the figures appear), changes an answer, and a visitor reads the results: the headline measures, the trend
chart with its text alternative and table; every page passes axe-core at WCAG 2.2 AA and fits the phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pledgebank.pulse.questions import CORE, CORE_KEYS
from tests.factories.grants import world
from tests.factories.pulse import open_round, respond
from tests.helpers.browser import _no_sideways_scroll, _sign_in, _sign_out

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def test_a_resident_answers_on_a_phone_and_a_visitor_reads_the_results(page, app, sessions):
    w = world(sessions)
    round_id = open_round(app, w, title="Winter 2026")
    for person in (w.chair, w.treasurer, *w.members):
        respond(app, round_id, person, **dict.fromkeys(CORE_KEYS, 4))
    page.set_viewport_size(PHONE)
    _sign_in(page, "resident0@example.org")
    page.goto(f"/n/{w.slug}/pulse")
    expect(page.get_by_text("No figures yet")).to_be_visible()
    page.get_by_role("link", name="Answer “Winter 2026”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Winter 2026")
    _no_sideways_scroll(page, "the answer form")
    page.set_viewport_size(PHONE)
    for question in CORE:
        page.get_by_role("group", name=question.text).get_by_label("Strongly agree").check()
    page.get_by_role("group", name=CORE[1].text).get_by_label("Don't know").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status").first).to_contain_text("your answers are saved")

    page.get_by_role("link", name="Answer “Winter 2026”").click()
    area = page.get_by_role("group", name=CORE[0].text)
    expect(area.get_by_label("Strongly agree")).to_be_checked()
    area.get_by_label("Disagree", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status").first).to_contain_text("your answers are saved")
    _sign_out(page)

    page.goto(f"/n/{w.slug}/pulse")
    headline = page.get_by_role("region", name=re.compile("Headline measures"))
    expect(headline).to_contain_text("80% agree")  # four agree, the resident now disagrees
    expect(headline).to_contain_text("Can influence decisions")
    chart = page.get_by_role("img", name=re.compile("share agreeing with each core measure"))
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("round by round"))).to_contain_text("100%")
    expect(page.get_by_role("link", name="Answer “Winter 2026”")).to_have_count(0)
    _no_sideways_scroll(page, "the pulse page")
    page.get_by_role("link", name="All the results of Winter 2026").click()
    expect(page.get_by_role("heading", name="Satisfied with local services")).to_be_visible()
    expect(page.get_by_text("Not shown: fewer than 5 people gave a view")).to_have_count(
        1
    )  # services: 4 views
    _no_sideways_scroll(page, "a round's results")
