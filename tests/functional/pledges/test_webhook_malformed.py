"""Correctly signed webhooks whose body is no event we can read are a 400 and are kept for inspection;
events with ids as long as Stripe allows (255 characters) are stored like any other."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.payments.models import RejectedWebhook, StripeEvent
from pledgebank.payments.webhooks import KEPT_BYTES
from tests.helpers.webhooks import deliver, event, signature


def _event(**changes) -> dict:
    """A well-formed event about an object we do not hold, with some of its parts changed or removed."""
    body = json.loads(event("payment_intent.succeeded", {"object": "payment_intent", "id": "pi_unknown"}))
    for key, value in changes.items():
        if value is ...:
            body.pop(key)
        else:
            body[key] = value
    return body


def _count(app, model) -> int:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(model))


def _rejected(app) -> list[RejectedWebhook]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(session.scalars(select(RejectedWebhook).order_by(RejectedWebhook.id)))


def _json(value) -> str:
    return json.dumps(value)


MALFORMED = {
    "no id": (_json(_event(id=...)), "id"),
    "an id of 256 characters": (_json(_event(id="evt_" + "a" * 252)), "255"),
    "an id that is a number": (_json(_event(id=12345)), "id"),
    "an id with a NUL character": (_json(_event(id="evt_\x00")), "id"),
    "an id with a lone surrogate": (_json(_event(id="evt_\ud800")), "id"),
    "no type": (_json(_event(type=...)), "type"),
    "a created time that is text": (_json(_event(created="yesterday")), "created"),
    "no data": (_json(_event(data=...)), "data.object"),
    "no data.object": (_json(_event(data={})), "data.object"),
    "a data.object that is a list": (_json(_event(data={"object": ["pi_1"]})), "data.object"),
    "an object id that is a list": (
        _json(_event(data={"object": {"object": "payment_intent", "id": ["pi"]}})),
        "data.object.id",
    ),
    "a list": (_json([_event()]), "JSON list"),
    "a JSON string": (_json("evt_123"), "JSON string"),
    "JSON null": ("null", "JSON null"),
    "not JSON": ("{not json", "not JSON"),
    "nested 5,000 deep": ('{"id": "evt_1", "data": ' + "[" * 5000 + "]" * 5000 + "}", "nested"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_signed_but_malformed_event_is_refused_and_kept(app, case):
    payload, reason = MALFORMED[case]
    response = deliver(app, payload)
    assert response.status_code == 400, (case, response.get_data(as_text=True)[:200])
    answer = response.get_json()
    assert answer["error"] == "malformed_event" and reason in answer["message"], answer
    assert _count(app, StripeEvent) == 0
    (kept,) = _rejected(app)
    assert kept.body == payload.encode() and kept.size == len(payload.encode())
    assert reason in kept.reason and kept.received_at is not None


def test_an_unsigned_or_badly_signed_body_is_refused_and_not_kept(app):
    payload = json.dumps([_event()])
    assert deliver(app, payload, False).get_json()["error"] == "invalid_signature"
    old = signature(payload, at=int(time.time()) - 301)
    assert deliver(app, payload, old).get_json()["error"] == "invalid_signature"
    assert _rejected(app) == [] and _count(app, StripeEvent) == 0


def test_only_the_start_of_a_large_rejected_body_is_kept(app):
    payload = json.dumps(["x" * 1000] * 200)  # about 200 KB, under the request size limit
    response = deliver(app, payload)
    assert response.status_code == 400
    (kept,) = _rejected(app)
    assert kept.size == len(payload) and kept.body == payload.encode()[:KEPT_BYTES]


def test_ids_as_long_as_stripe_allows_are_stored(app):
    event_id, object_id = "evt_" + "e" * 251, "pi_" + "p" * 252
    payload = event("payment_intent.succeeded", {"object": "payment_intent", "id": object_id}, event_id)
    response = deliver(app, payload)
    assert response.status_code == 200 and response.get_json()["effect"] == "ignored"
    assert deliver(app, payload).get_json()["effect"] == "duplicate"
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        stored = session.get(StripeEvent, event_id)
        assert stored is not None and stored.object_id == object_id
    assert _rejected(app) == []


def test_an_event_about_an_object_without_an_id_is_stored_and_ignored(app):
    payload = event("balance.available", {"object": "balance", "available": []})
    response = deliver(app, payload)
    assert response.status_code == 200 and response.get_json()["effect"] == "ignored"
    assert _count(app, StripeEvent) == 1
