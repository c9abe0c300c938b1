"""In a real browser: an invited examiner opens the emailed link, creates an account with the invited address,
signs in, accepts, and works through the checklist: lowers the threshold and sees a payment with one
approver flagged, follows the evidence (the receipts and payments account, the bank reconciliation at the
year end, a payment's documents), is refused a write, and finds their visits in the audit log. Each page is
axe-clean at WCAG 2.2 AA, the checklist also at phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.examiners import document_payments, invite, kept_year, reconcile_bank
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible
from tests.helpers.browser import _no_sideways_scroll

pytestmark = pytest.mark.browser


def test_an_examiner_accepts_the_invitation_and_works_through_the_checklist(page, app, sessions, outbox):
    w = kept_year(app, sessions)
    document_payments(app, w)
    reconcile_bank(app, w)
    _appointment_id, token = invite(app, w.chair, w.neighbourhood_id, "helen@example.org")

    page.goto(f"/examiner/invitation/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Examine the accounts of Elm Park")
    assert_accessible(page, "the invitation, signed out")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("helen@example.org")
    page.get_by_label("Your name, as neighbours will see it").fill("Helen Marsh")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    page.goto(f"/examiner/invitation/{token}")
    page.get_by_role("link", name="Sign in to accept").click()
    page.get_by_label("Email address").fill("helen@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/examiner/invitation/"))
    assert_accessible(page, "the invitation, signed in")
    page.get_by_role("button", name="Accept the appointment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Examiner's checklist")
    questions = page.locator("ol.checklist > li")
    expect(questions).to_have_count(8)
    expect(page.locator("#question-approvals")).to_contain_text("Yes")
    expect(page.locator("#question-closed")).to_contain_text("The year is not closed")
    assert_accessible(page, "the checklist")
    _no_sideways_scroll(page, "the checklist")

    page.get_by_label("Payments above this need two approvers").fill("a lot")
    page.get_by_role("button", name="Check again").click()
    expect(page.locator("#threshold-error")).to_be_visible()
    assert_accessible(page, "the checklist with a bad threshold")
    page.get_by_label("Payments above this need two approvers").fill("100.00")
    page.get_by_role("button", name="Check again").click()
    approvals = page.locator("#question-approvals")
    expect(approvals).to_contain_text(
        "£200.00 to Oak Fencing Ltd on 1 September 2024 has no second approver."
    )
    approvals.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Transaction")
    page.go_back()

    page.locator("#question-agree").get_by_role("link", name="Receipts and payments account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Receipts and payments")
    assert_accessible(page, "the receipts and payments account, as the examiner")

    page.go_back()
    bank = page.locator("#question-bank")
    expect(bank).to_contain_text("agree at 31 March 2025")
    bank.get_by_role("link", name="The bank reconciliation at 31 March 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reconcile the bank")
    expect(page.locator("#verdict")).to_have_text("The bank and the books agree.")
    expect(page.get_by_role("button", name=re.compile("Save the reconciliation"))).to_have_count(0)
    assert_accessible(page, "the bank reconciliation, as the examiner")
    page.go_back()
    documents = page.locator("#question-documents")
    expect(documents).to_contain_text("Each of the 2 supplier and grant payments")
    documents.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    expect(page.get_by_role("link", name=re.compile("invoice-0.pdf"))).to_be_visible()
    expect(page.get_by_role("heading", name="Attach a document")).to_have_count(0)
    assert_accessible(page, "a payment's documents, as the examiner")

    # A write, even one sent as the page's own forms are (with their token), is refused.
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(f"/n/{w.slug}/funds", form={"name": "Examiner's fund", "csrf_token": csrf})
    assert response.status == 403

    page.goto(f"/n/{w.slug}/examination")
    page.get_by_role("link", name="What the examiner opened, in the audit log").click()
    expect(
        page.get_by_text(re.compile(r"Helen Marsh \(examiner\) opened /n/elm-park/statements"))
    ).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Helen Marsh \(examiner\) was refused POST /n/elm-park/funds"))
    ).to_be_visible()
    assert_accessible(page, "the audit log, as the examiner")
