"""The Stripe reconciliation as a page for the treasurer: the neighbourhood's items matched to Stripe, and a
verdict that counts what is left unmatched (a refund made in Stripe but missing from the books)."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.examiners import appoint
from tests.factories.pledges import (
    due,
    intents,
    make_pledge,
    neighbourhood_with,
    pledge_with_card,
    stripe_client,
)
from tests.helpers.app import WebClient, make_user, with_stripe


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def test_the_stripe_report_counts_an_unmatched_refund_against_the_verdict(app, sessions, web):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=1000)
    pledge_with_card(app, pledge, ann)
    pledge_with_card(app, pledge, ben)
    due(app)
    assert due(app, hours=73)["payments captured"] == 2
    web.login("chair@example.org")  # the chair of neighbourhood_with is also its treasurer

    page = web.get(f"/n/{slug}/bank/stripe?since=2026-03-01")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text[:3000]
    assert text.count("<td>matched</td>") == 2
    assert "<strong>agrees</strong>" in text

    # A refund made in Stripe's dashboard, behind the app's back: the books know nothing of it.
    charge = intents(app)[0].latest_charge
    stripe_client(app).v1.refunds.create(params={"charge": charge, "amount": 300})
    text = web.get(f"/n/{slug}/bank/stripe?since=2026-03-01").get_data(as_text=True)
    assert "<strong>agrees</strong>" not in text
    assert "does not agree</strong> (1 item unmatched)" in text
    assert "1 Stripe item found in no neighbourhood" in text

    # The examiner appointed there reads the same report (and is recorded opening it).
    with unit_of_work(sessions) as session:
        place_id = get_neighbourhood(session, slug).id
    appoint(app, chair, place_id, make_user(sessions, "examiner@example.org", "Helen Marsh"))
    examiner = WebClient(app.test_client())
    examiner.login("examiner@example.org")
    seen = examiner.get(f"/n/{slug}/bank/stripe?since=2026-03-01")
    assert seen.status_code == 200 and "does not agree</strong> (1 item unmatched)" in seen.text
