"""Live mode (a live secret key, here against the emulator): the card page loads Stripe.js with the
SetupIntent's client secret, widens its Content-Security-Policy for Stripe alone, and the return page
reads the saved card."""

from __future__ import annotations

import re

import pytest
import stripe

from tests.helpers.pledge_pages import make_pledge, people, signup_of, text_of

LIVE_KEY = "sk_live_pledgebank_local"


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """The emulator, but with a live key: no test cards are offered."""
    return {**app_config, "STRIPE_SECRET_KEY": LIVE_KEY, "STRIPE_PUBLISHABLE_KEY": "pk_live_pledgebank_local"}


def _policy(response) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: rest for name, rest in parts}


def test_live_card_page_mounts_stripe_js_and_the_return_page_reads_the_card(app, sessions, stripe_api):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    ann = world.client(app, sessions, "ann")
    assert ann.post(f"/p/{pledge}/pledge", {"method": "card"}).status_code == 302

    page = ann.get(f"/p/{pledge}/card")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<script src="https://js.stripe.com/v3/"></script>' in html
    assert '<script src="/static/card.js" defer></script>' in html
    assert "<script>" not in html, "no inline script"
    assert 'data-publishable-key="pk_live_pledgebank_local"' in html
    secret = re.search(r'data-client-secret="([^"]+)"', html).group(1)
    setup_intent = signup_of(sessions, pledge, world.ids["ann"]).setup_intent_id
    assert secret.startswith(f"{setup_intent}_secret")
    assert f'data-return-url="http://localhost/p/{pledge}/card/return"' in html
    assert "Visa 4242" not in html
    policy = _policy(page)
    assert policy["script-src"] == "'self' https://js.stripe.com"
    assert "https://js.stripe.com" in policy["frame-src"]
    assert policy["connect-src"] == "'self' https://api.stripe.com"
    assert _policy(ann.get(f"/p/{pledge}"))["script-src"] == "'self'", "only the card page allows Stripe"
    assert ann.post(f"/p/{pledge}/card", {"card": "succeeds"}).status_code == 404, (
        "no test cards in live mode"
    )

    assert ann.get(f"/p/{pledge}/card").status_code == 200
    assert signup_of(sessions, pledge, world.ids["ann"]).setup_intent_id == setup_intent, (
        "the same SetupIntent"
    )

    # What Stripe.js does in the browser: confirm the SetupIntent with the card, then come back.
    client = stripe.StripeClient(LIVE_KEY, base_addresses={"api": stripe_api})
    client.v1.setup_intents.confirm(
        setup_intent,
        params={
            "payment_method_data": {
                "type": "card",
                "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
            }
        },
    )
    back = ann.get(f"/p/{pledge}/card/return?setup_intent={setup_intent}")
    assert back.status_code == 302 and back.headers["Location"].endswith(f"/p/{pledge}")
    assert signup_of(sessions, pledge, world.ids["ann"]).status == "card_saved"
    assert "Card saved: your card ending 4242" in text_of(ann.get(f"/p/{pledge}"))


def test_card_js_is_served_from_this_site(app):
    response = app.test_client().get("/static/card.js")
    assert response.status_code == 200
    script = response.get_data(as_text=True)
    assert "confirmSetup" in script and "dataset.clientSecret" in script and "return_url" in script
