"""The demo's examiner: appointed by the chair for the year the demo closes, accepted, and able to sign in
with the printed password; on the whole demo (its bank statements reconciled at the year end, a document on
every payment) her checklist is green throughout."""

from __future__ import annotations

import re

import pytest

from pledgebank import demo
from pledgebank.accounts.demo import DEMO_PASSWORD
from pledgebank.examiners.demo import EXAMINER
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from tests.factories.pledges import assert_books_ok
from tests.helpers.app import WebClient, with_stripe
from tests.helpers.foundation import visible_text


@pytest.fixture
def app_config(app_config, stripe_api):
    """The demo as the quick start runs it: demo mode, card payments against the Stripe emulator."""
    return {**with_stripe(app_config, stripe_api), "DEMO": True}


def test_the_demo_examiner_signs_in_and_finds_last_year_green_throughout(app):
    assert demo.load(app) is not None
    web = WebClient(app.test_client())
    web.login(EXAMINER.email, DEMO_PASSWORD)
    found = web.get(f"/n/{DEMO_SLUG}/examination")
    assert found.status_code == 302
    page = web.get(found.headers["Location"])
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "1 April 2025 to 31 March 2026" not in text  # the year under way is not the one examined
    assert "The accounts of Elm Park for the year 1 April 2024 to 31 March 2025" in text
    statuses = dict(re.findall(r'<li id="question-(\w+)" class="check-(\w+)">', page.text))
    assert statuses == dict.fromkeys(
        ["records", "agree", "statements", "closed", "approvals", "funds", "bank", "documents"], "green"
    ), text
    assert "agree at 31 March 2025" in text
    assert "The one supplier or grant payment of the year has a supporting document." in text
    assert "Documents for Payment to Rye Lane Print Shop" in text
    # The evidence pages it links to open for her, and she changes nothing there.
    for link in (
        f"/n/{DEMO_SLUG}/bank/reconcile?on=2025-03-31",
        *re.findall(r'href="(/n/[^"]+/documents/treasurer-entry/\d+)"', page.text),
    ):
        assert web.get(link).status_code == 200, link
    assert web.post(f"/n/{DEMO_SLUG}/funds", {"name": "Mine"}).status_code == 403
    assert_books_ok(app)
