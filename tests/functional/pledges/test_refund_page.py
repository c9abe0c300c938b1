"""The card payments page: the treasurer refunds part of a payment with an amount (a POST with its CSRF
token), sees it refunded; an amount larger than what is left is refused beside the field, nothing written;
a resident cannot refund."""

from __future__ import annotations

import re

import pytest

from tests.factories.pledges import assert_books_ok, balance
from tests.helpers.app import WebClient, with_stripe
from tests.helpers.refunds import counts, paid_pledge


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def _post(web: WebClient, slug: str, intent: str, amount: str, *, csrf: bool = True):
    page = web.get(f"/n/{slug}/card-payments").get_data(as_text=True)
    token = re.search(rf'name="{intent}-csrf_token"[^>]*value="([^"]+)"', page)
    data = {f"{intent}-amount": amount}
    if csrf:
        assert token, "no refund form for the payment"
        data[f"{intent}-csrf_token"] = token.group(1)
    return web.client.post(f"/n/{slug}/card-payments/{intent}/refund", data=data)


def test_the_treasurer_refunds_part_of_a_payment_and_sees_it(app, sessions):
    slug, _, (first, _) = paid_pledge(app, sessions)
    web = WebClient(app.test_client())
    web.login("chair@example.org")
    page = web.get(f"/n/{slug}/card-payments")
    assert page.status_code == 200 and first in page.get_data(as_text=True)

    before = counts(app)
    too_large = _post(web, slug, first, "10.01")
    html = too_large.get_data(as_text=True)
    assert too_large.status_code == 422
    assert f'id="{first}-amount-error"' in html and "more than is left of this payment" in html
    assert counts(app) == before

    for bad in ("", "abc", "-1", "1.234", "0"):
        assert _post(web, slug, first, bad).status_code == 422, bad
    assert counts(app) == before
    assert _post(web, slug, first, "1.00", csrf=False).status_code == 400

    done = _post(web, slug, first, "2.50")
    assert done.status_code == 302
    shown = web.get(f"/n/{slug}/card-payments").get_data(as_text=True)
    assert "Refunded £2.50" in shown and "£7.50 left" in shown
    assert balance(app, "income") == -(2000 - 250)
    assert_books_ok(app)


def test_a_resident_cannot_refund(app, sessions):
    slug, _, (first, _) = paid_pledge(app, sessions)
    web = WebClient(app.test_client())
    web.login("resident1@example.org")
    token = web.csrf_token(f"/n/{slug}")
    response = web.client.post(
        f"/n/{slug}/card-payments/{first}/refund", data={f"{first}-amount": "1.00", "csrf_token": token}
    )
    assert response.status_code == 403
    assert balance(app, "income") == -2000
