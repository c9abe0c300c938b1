"""In a real browser: the treasurer opens a supplier payment's documents from "Record money", is told beside
the file field that a text file named .pdf is not a PDF, attaches the receipt, sees it listed and downloads
it; the page passes axe-core at WCAG 2.2 AA with and without the error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.documents import jpeg, paid_world
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible
from tests.helpers.backups import cli

pytestmark = pytest.mark.browser


def test_the_treasurer_attaches_a_receipt(page, app, sessions):
    paid = paid_world(app, sessions)
    page.goto("/login")
    page.get_by_label("Email address").fill("treasurer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))

    page.goto(f"/n/{paid.w.slug}/ledger/record")
    page.get_by_role("link", name=re.compile(r"^Documents for ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    expect(page.get_by_text("No document is attached yet.")).to_be_visible()
    assert_accessible(page, "a payment's documents page")

    page.get_by_label("What it is").select_option("receipt")
    page.get_by_label("The file").set_input_files(
        files=[{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": b"Thanks for your order!"}]
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.locator("#file-error")).to_contain_text("not a PDF, PNG or JPEG file")
    assert_accessible(page, "a payment's documents page with an error")

    page.get_by_label("What it is").select_option("receipt")
    page.get_by_label("The file").set_input_files(
        files=[{"name": "Oak Fencing receipt.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("Attached.")).to_be_visible()
    listed = page.get_by_role("table", name="The documents attached, oldest first")
    expect(listed).to_contain_text("Oak Fencing receipt.jpg")
    expect(listed).to_contain_text("Receipt")
    assert_accessible(page, "a payment's documents page with a document")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Oak Fencing receipt.jpg", exact=True).click()
    download = waiting.value
    assert download.suggested_filename == "Oak Fencing receipt.jpg"
    with open(download.path(), "rb") as file:
        assert file.read() == jpeg()
    assert cli(app, "ledger", "verify").exit_code == 0
