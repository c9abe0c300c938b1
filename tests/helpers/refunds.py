"""Helpers shared by several test files."""

from __future__ import annotations

import json
import secrets

from sqlalchemy import func, select

from pledgebank.books.models import LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.payments.models import PaymentAttempt
from pledgebank.payments.refunds import refund_payment
from pledgebank.pledges.models import PledgeSignup
from tests.factories.pledges import (
    due,
    make_pledge,
    neighbourhood_with,
    pledge_with_card,
    stripe_client,
)
from tests.helpers.webhooks import event


def paid_pledge(app, sessions, amount: int = 1000, **names) -> tuple[str, int, list[str]]:
    """Two card payments (£10 each unless told), captured: (slug, chair, the PaymentIntent ids)."""
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions, **names)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=amount)
    signups = [pledge_with_card(app, pledge, ann), pledge_with_card(app, pledge, ben)]
    due(app)
    assert due(app, hours=73)["payments captured"] == 2
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        intents = [session.get(PledgeSignup, s).payment_intent_id for s in signups]
    return slug, chair, intents


def refund(app, chair: int, intent: str, amount: object, request_key: str | None = None):
    """The treasurer refunds part of a payment, now, from a new filling-in of the form unless request_key."""
    now = app.extensions["pledgebank.clock"].now()
    return refund_payment(
        payments_context(app),
        actor_id=chair,
        payment_intent_id=intent,
        amount=amount,
        request_key=request_key or secrets.token_urlsafe(24),
        now=now,
    )


def counts(app) -> tuple[int, int]:
    """How many ledger transactions and payment attempts there are."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return (
            session.scalar(select(func.count()).select_from(LedgerTransaction)),
            session.scalar(select(func.count()).select_from(PaymentAttempt)),
        )


def _emulator(app, method: str, path: str, **params) -> dict:
    """Ask the emulator directly (a test route, or what Stripe's dashboard would do)."""
    client = stripe_client(app)
    response = client.raw_request(method, path, **params)
    return json.loads(response.body if hasattr(response, "body") else response.http_body)


def _charge_of(client, intent: str) -> str:
    charge = client.v1.payment_intents.retrieve(intent).latest_charge
    return charge if isinstance(charge, str) else charge.id


def story_events(app, intents: list[str]) -> list[str]:
    """Behind the app's back: a part refund in the dashboard, a dispute lost and a dispute won; the events."""
    client = stripe_client(app)
    first, _ = intents
    charge_one, charge_two = (_charge_of(client, intent) for intent in intents)
    client.v1.refunds.create(params={"payment_intent": first, "amount": 400})
    lost = _emulator(app, "post", "/v1/_test/disputes", charge=charge_one, amount=600)
    won = _emulator(app, "post", "/v1/_test/disputes", charge=charge_two)
    _emulator(app, "post", f"/v1/disputes/{lost['id']}/close")
    _emulator(app, "post", f"/v1/_test/disputes/{won['id']}/decide", outcome="won")
    charge = {"object": "charge", "id": charge_one}
    return [
        event("charge.refunded", charge),
        event("charge.dispute.created", {"object": "dispute", "id": lost["id"]}),
        event("charge.dispute.funds_withdrawn", {"object": "dispute", "id": lost["id"]}),
        event("charge.dispute.closed", {"object": "dispute", "id": lost["id"]}),
        event("charge.dispute.created", {"object": "dispute", "id": won["id"]}),
        event("charge.dispute.closed", {"object": "dispute", "id": won["id"]}),
    ]


def fail(app, refund_id: str) -> list[str]:
    """The card turns out closed: Stripe fails the refund; the events it sends about that."""
    failed = _emulator(app, "post", f"/v1/_test/refunds/{refund_id}/fail")
    assert failed["status"] == "failed" and failed["failure_balance_transaction"]
    about = {"object": "refund", "id": refund_id}
    return [
        event("charge.refund.updated", about),
        event("refund.failed", about),
        event("charge.refunded", {"object": "charge", "id": failed["charge"]}),
    ]
