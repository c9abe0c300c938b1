"""In a real browser: a pledger of a charity's pledge follows the offer on the pledge page, is refused
beside the postcode when they leave it out, then declares Gift Aid; the treasurer looks at the period's gifts,
makes the claim and downloads its schedule, read back with odfpy. Every page passes axe-core at WCAG 2.2 AA
and fits a phone."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from odf.opendocument import load
from odf.table import Table, TableRow
from playwright.sync_api import expect

from tests.factories.giftaid import charity_with_gifts, today
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _no_sideways_scroll, _sign_in, _sign_out

pytestmark = pytest.mark.browser


def test_a_donor_declares_and_the_treasurer_claims_and_downloads_the_schedule(page, app, sessions):
    c = charity_with_gifts(app, sessions)
    _sign_in(page, "resident0@example.org")
    page.goto(f"/p/{c.pledge_id}")
    page.get_by_role(
        "link", name="Are you a UK taxpayer? Add Gift Aid to your pledge, at no cost to you."
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gift Aid declaration")
    assert_accessible(page, "the declaration page")
    _no_sideways_scroll(page, "the declaration page")
    page.get_by_label(
        "I want to Gift Aid any donations I make in the future or have made in the past 4 years"
    ).check()
    page.get_by_label("Title").fill("Ms")
    page.get_by_label("First name or initial").fill("Ann")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("House name or number").fill("12")
    page.get_by_label("I have read the declaration above and I am a UK taxpayer.").check()
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.locator("#postcode-error")).to_contain_text("Give your postcode.")
    assert_accessible(page, "the declaration page with an error")
    page.get_by_label("Postcode").fill("s19 2bd")
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.get_by_role("status").first).to_contain_text("your Gift Aid declaration is saved")
    expect(page.get_by_role("table", name="Your declarations, newest first")).to_contain_text(
        "Ms Ann Jones, 12, S19 2BD"
    )
    assert_accessible(page, "the donor's declarations")
    _sign_out(page)

    _sign_in(page, "treasurer@example.org")
    page.goto(f"/n/{c.w.slug}")
    page.get_by_role("link", name="Gift Aid claims").click()
    day = today(app)
    page.get_by_label("First day of the period").fill((day - timedelta(days=9)).isoformat())
    page.get_by_label("Last day of the period").fill(day.isoformat())
    page.get_by_role("button", name="Show the gifts of the period").click()
    gifts = page.get_by_role("group", name="Gifts of the period")
    expect(gifts).to_contain_text("(eligible)")
    expect(gifts).to_contain_text("(no declaration covers it)")
    assert_accessible(page, "the claims page with the period's gifts")
    _no_sideways_scroll(page, "the claims page")
    page.get_by_role("button", name="Make the claim").click()
    expect(page.get_by_role("status").first).to_contain_text("The claim is made")
    expect(page.locator("[data-claim=gift-aid]")).to_have_text("£2.50")
    assert_accessible(page, "the claim page")
    _no_sideways_scroll(page, "the claim page")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the schedule for HMRC (ODS)").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".ods")
    with open(download.path(), "rb") as file:
        sheet = load(io.BytesIO(file.read())).spreadsheet.getElementsByType(Table)[0]
    rows = [[str(cell) for cell in row.childNodes] for row in sheet.getElementsByType(TableRow)]
    assert rows[1][:5] == ["Ms", "Ann", "Jones", "12", "S19 2BD"] and rows[1][-1] == "10.00"
