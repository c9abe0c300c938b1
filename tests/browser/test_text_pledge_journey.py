"""In a real browser: a visitor texts PLEDGE FENCE to the neighbourhood's number through the fake provider's
form at /dev/outbox, reads the code texted back, replies with it, and is on the pledge; then, signed in,
adds the same number to their account and finds the pledge there. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _sign_in
from tests.helpers.sms import NUMBER, text_world

pytestmark = pytest.mark.browser

VISITOR = "07700 900777"
CODE = re.compile(r"code (\d{6})")


def _send(page, body: str) -> None:
    page.get_by_label("From (your phone number)").fill(VISITOR)
    page.get_by_label("To (the neighbourhood's text number)").fill(NUMBER)
    page.get_by_label("Message").fill(body)
    page.get_by_role("button", name="Send the text").click()
    expect(page.get_by_role("status").first).to_contain_text("Your text is sent")


def _latest_code(page) -> str:
    texts = page.get_by_role("table", name="Texts sent")
    found = CODE.search(texts.locator("tbody tr").first.inner_text())
    assert found, texts.inner_text()
    return found.group(1)


def test_a_visitor_pledges_by_text_and_later_finds_it_on_their_account(page, app):
    world = text_world(app)
    page.goto("/dev/outbox")
    assert_accessible(page, "the outbox with its texts")
    _send(page, "pledge fence")
    expect(page.get_by_role("table", name="Texts sent")).to_contain_text("Reply with the code")
    _send(page, _latest_code(page))
    expect(page.get_by_role("table", name="Texts sent")).to_contain_text(
        "You have pledged £10 to Mend the playground fence"
    )
    assert_accessible(page, "the outbox after pledging by text")

    page.goto(f"/p/{world.pledge_id}")
    expect(page.get_by_text("1 cash pledge not yet received")).to_be_visible()
    expect(page.get_by_text("1 person has pledged.")).to_be_visible()

    _sign_in(page, "resident0@example.org")
    page.goto("/account")
    page.get_by_role("link", name="Add or change your phone number").click()
    assert_accessible(page, "the phone page")
    page.get_by_label("Mobile number").fill(VISITOR)
    page.get_by_role("button", name="Text me a code").click()
    expect(page.get_by_role("status").first).to_contain_text("We have texted you a code")
    assert_accessible(page, "the phone page waiting for its code")
    page.goto("/dev/outbox")
    code = re.search(
        r"is (\d{6})", page.get_by_role("table", name="Texts sent").locator("tbody tr").first.inner_text()
    )
    assert code
    page.goto("/account/phone")
    page.get_by_role("textbox", name="Code").fill(code.group(1))
    page.get_by_role("button", name="Confirm the number").click()
    expect(page.get_by_role("status").first).to_contain_text("Your phone number is confirmed")
    expect(page.locator("main")).to_contain_text("1 pledge made by text is now on your account")
    page.goto("/account")
    expect(page.get_by_role("region", name="Your pledges")).to_contain_text("Mend the playground fence")
