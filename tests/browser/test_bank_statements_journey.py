"""In a real browser, a treasurer's year of bank statements: from the neighbourhood's menu to the Bank page,
upload the year's CSV statement naming its columns, confirm each suggested match, record the bank's charges,
interest and a trust's transfer (remembering how, so the next such lines come chosen), then reconcile the
year end and see its date on the statements. Every page on the way is axe-clean at WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.grants import world
from tests.factories.pledges import assert_books_ok
from tests.factories.statements import books_of_the_year, lines, statement_of_the_year
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


def _sign_in(page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))
    page.get_by_role("link", name="Elm Park", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elm Park")


def _record(page, description: str, kind: str | None, remember: str = "") -> None:
    line = (
        page.get_by_role("article")
        .filter(has=page.get_by_role("heading", name=re.compile(description)))
        .first
    )
    if kind is not None:
        line.get_by_label("Record it as").select_option(label=kind)
    if remember:
        line.get_by_label("Remember for lines whose description contains").fill(remember)
    line.get_by_role("button", name="Record in the ledger").click()
    expect(page.get_by_text("Recorded in the ledger.")).to_be_visible()


def test_a_treasurer_uploads_matches_records_and_reconciles_a_year(app, sessions, page, tmp_path):
    w = world(sessions)
    books_of_the_year(app, w.slug)
    statement = tmp_path / "elm-park-2025.csv"
    statement.write_bytes(statement_of_the_year().data)
    _sign_in(page, "treasurer@example.org")
    page.get_by_role("navigation", name="Elm Park").get_by_role("link", name="Bank", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bank statements")
    assert_accessible(page, "the bank statements page")

    page.get_by_label("Statement file").set_input_files(str(statement))
    page.get_by_label("Bank (CSV only)").fill("Co-operative Bank")
    page.get_by_label("Date column").fill("Date")
    page.get_by_label("Date format").select_option(label="2026-12-31")
    page.get_by_label("Description column").fill("Description")
    page.get_by_label("Amount column").fill("Amount")
    page.get_by_label("Reference column").fill("Reference")
    page.get_by_label("Balance column").fill("Balance")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Read 22 lines from elm-park-2025.csv: 22 new.")).to_be_visible()
    assert_accessible(page, "the bank statements page with lines to settle")

    confirm = page.get_by_role("button", name=re.compile(r"^Confirm: this is transaction \d+$"))
    for _ in range(5):
        confirm.first.click()
        expect(page.get_by_text("Matched.")).to_be_visible()
    expect(confirm).to_have_count(0)

    _record(page, "SERVICE CHARGE", "Bank charges", remember="SERVICE CHARGE")
    _record(page, "CREDIT INTEREST", "Interest paid by the bank", remember="CREDIT INTEREST")
    expect(page.get_by_text("Offered as before for lines containing “CREDIT INTEREST”.")).to_have_count(3)
    assert_accessible(page, "the bank statements page with remembered choices")
    for _ in range(3):
        _record(page, "CREDIT INTEREST", None)
    for _ in range(11):
        _record(page, "SERVICE CHARGE", None)
    _record(page, "GREEN TRUST", "A donation paid into the bank")
    expect(page.get_by_text("Every line uploaded is matched or recorded.")).to_be_visible()

    page.get_by_role("link", name="reconcile the bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reconcile the bank")
    assert_accessible(page, "the reconciliation page")
    page.get_by_label("Statement date").fill("2025-12-31")
    page.get_by_role("button", name="Compare at this date").click()
    expect(page.locator("#verdict")).to_have_text("The bank and the books agree.")
    expect(page.locator("#statement-balance")).to_have_text("£1,614.12")
    expect(page.locator("#ledger-balance")).to_have_text("£1,554.12")
    assert_accessible(page, "the reconciliation at the year end")
    page.get_by_role("button", name="Save the reconciliation at 31 December 2025").click()
    expect(page.get_by_text("The bank is reconciled at 31 December 2025.")).to_be_visible()

    page.get_by_role("link", name="Back to the bank statements").click()
    expect(page.locator("#last-reconciled")).to_contain_text("last reconciled at 31 December 2025")
    expect(page.get_by_text(re.compile(r"reconciled at 31 December 2025\.$"))).to_have_count(1)
    assert_accessible(page, "the bank statements page after the reconciliation")
    assert all(line.state != "unmatched" for line in lines(app, w.slug))
    assert_books_ok(app)
