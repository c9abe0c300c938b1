"""The refunds API: the chair refunds part of a card payment, then (without an amount) the rest, each once
however often its key is sent (in the body or as the Idempotency-Key header); bad amounts, reasons and keys
are refused naming the field with nothing written; a resident, a read-only token and another
neighbourhood's payment are refused; the payment's refunds are listed as the books hold them, a failed one
shown failed."""

from __future__ import annotations

import pytest

from tests.factories.pledges import assert_books_ok, balance, stripe_client
from tests.helpers.app import with_stripe
from tests.helpers.pledge_api import token
from tests.helpers.refunds import counts, fail, paid_pledge
from tests.helpers.webhooks import deliver, event

KEY = "api-refund-key-0001"


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def _url(slug: str, intent: str) -> str:
    return f"/api/v1/neighbourhoods/{slug}/card-payments/{intent}/refunds"


def test_the_chair_refunds_part_then_the_rest_each_once(app, sessions):
    slug, chair, (first, _) = paid_pledge(app, sessions)
    client, write = app.test_client(), token(sessions, chair)
    made = client.post(
        _url(slug, first), json={"idempotency_key": KEY, "amount": 300, "reason": "duplicate"}, headers=write
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["amount"], body["status"], body["currency"]) == (300, "succeeded", "GBP")
    before = counts(app)
    again = client.post(_url(slug, first), json={"amount": 300}, headers={**write, "Idempotency-Key": KEY})
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert counts(app) == before
    assert stripe_client(app).v1.refunds.retrieve(body["id"]).reason == "duplicate"

    rest = client.post(
        _url(slug, first), json={}, headers={**write, "Idempotency-Key": "api-refund-key-0002"}
    )
    assert rest.status_code == 201 and rest.get_json()["amount"] == 700
    listed = client.get(_url(slug, first), headers=token(sessions, chair, "read")).get_json()
    assert (listed["gross"], listed["left"]) == (1000, 0)
    assert [(r["amount"], r["status"]) for r in listed["refunds"]] == [(300, "succeeded"), (700, "succeeded")]
    assert balance(app, "income") == -1000
    assert_books_ok(app)


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"idempotency_key": KEY, "amount": 1001}, {}, "amount"),
        ({"idempotency_key": KEY, "amount": 0}, {}, "amount"),
        ({"idempotency_key": KEY, "amount": "5"}, {}, "amount"),
        ({"idempotency_key": KEY, "amount": 2.5}, {}, "amount"),
        ({"idempotency_key": KEY, "reason": "because"}, {}, "reason"),
        ({"amount": 100}, {}, "idempotency_key"),
        ({"amount": 100}, {"Idempotency-Key": "short"}, "idempotency_key"),
        ({"idempotency_key": KEY}, {"Idempotency-Key": "another-key-entirely"}, "idempotency_key"),
        ({"idempotency_key": "has spaces in it!!"}, {}, "idempotency_key"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(app, sessions, body, headers, field):
    slug, chair, (first, _) = paid_pledge(app, sessions)
    before = counts(app)
    response = app.test_client().post(
        _url(slug, first), json=body, headers={**token(sessions, chair), **headers}
    )
    assert 400 <= response.status_code < 500 and field in response.get_json()["fields"], response.get_json()
    assert counts(app) == before
    assert stripe_client(app).v1.refunds.list(params={"payment_intent": first}).data == []
    assert_books_ok(app)


def test_who_may_refund_and_which_payments(app, sessions):
    slug, chair, (first, _) = paid_pledge(app, sessions)
    other, other_chair, (theirs, _) = paid_pledge(app, sessions, name="Oak Row", prefix="oak-")
    client, body = app.test_client(), {"idempotency_key": KEY, "amount": 100}
    before = counts(app)
    resident = client.post(_url(slug, first), json=body, headers=token(sessions, chair + 1))
    assert resident.status_code == 403
    assert (
        client.post(_url(slug, first), json=body, headers=token(sessions, chair, "read")).status_code == 403
    )
    assert client.post(_url(slug, theirs), json=body, headers=token(sessions, chair)).status_code == 404
    assert client.post(_url(slug, "pi_nothing"), json=body, headers=token(sessions, chair)).status_code == 404
    assert client.get(_url(slug, theirs), headers=token(sessions, chair)).status_code == 404
    assert client.post(_url(slug, first), json=body).status_code == 401
    assert counts(app) == before
    assert client.get(_url(other, theirs), headers=token(sessions, other_chair)).status_code == 200


def test_a_refund_that_failed_is_listed_failed_and_its_money_refundable_again(app, sessions):
    slug, chair, (first, _) = paid_pledge(app, sessions)
    client, write = app.test_client(), token(sessions, chair)
    made = client.post(_url(slug, first), json={"idempotency_key": KEY}, headers=write).get_json()
    for payload in fail(app, made["id"]):
        assert deliver(app, payload).status_code == 200
    listed = client.get(_url(slug, first), headers=write).get_json()
    assert listed["left"] == 1000
    (only,) = listed["refunds"]
    assert (only["id"], only["status"], only["amount"]) == (made["id"], "failed", 1000)
    assert only["failure_sequence"] > only["transaction_sequence"]
    assert deliver(app, event("refund.failed", {"object": "refund", "id": made["id"]})).status_code == 200
    again = client.post(_url(slug, first), json={"idempotency_key": "api-refund-key-0003"}, headers=write)
    assert again.status_code == 201 and again.get_json()["amount"] == 1000
    assert_books_ok(app)


def test_the_refund_endpoints_are_in_the_openapi_document(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    path = "/api/v1/neighbourhoods/{slug}/card-payments/{payment_intent_id}/refunds"
    assert set(paths[path]) >= {"get", "post"}
