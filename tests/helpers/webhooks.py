"""Helpers shared by several test files."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from sqlalchemy import select

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges.models import PledgeSignup
from tests.factories.pledges import (
    stripe_client,
)
from tests.helpers.app import STRIPE_WEBHOOK_SECRET


def signature(payload: str, *, at: int | None = None, secret: str = STRIPE_WEBHOOK_SECRET) -> str:
    """A Stripe-Signature header: t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<payload>">."""
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(kind: str, obj: dict, event_id: str | None = None) -> str:
    """An event as Stripe sends it, about an object as the emulator holds it now."""
    return json.dumps(
        {
            "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
            "data": {"object": obj},
        }
    )


def deliver(app, payload: str, header: str | None = None):
    """POST the event to the webhook endpoint, signed now unless another header (or False: none) is given."""
    headers = {"Content-Type": "application/json"}
    if header is not False:
        headers["Stripe-Signature"] = header or signature(payload)
    return app.test_client().post("/stripe/webhook", data=payload, headers=headers)


def intent_of(app, signup_id: int) -> dict:
    """The signup's PaymentIntent as the emulator holds it now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        intent = session.get(PledgeSignup, signup_id).payment_intent_id
    return stripe_client(app).v1.payment_intents.retrieve(intent).to_dict()


def fingerprint(app, slug: str):
    """A book's balances by account code and its transactions as (kind, postings), ignoring ids and order."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = session.scalar(select(Book).join(Neighbourhood).where(Neighbourhood.slug == slug))
        balances = dict(
            session.execute(
                select(LedgerAccount.code, LedgerAccount.balance).where(
                    LedgerAccount.book_id == book.id, LedgerAccount.balance != 0
                )
            ).all()
        )
        rows = session.execute(
            select(LedgerTransaction.id, LedgerTransaction.kind, LedgerAccount.code, LedgerPosting.amount)
            .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
            .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
            .where(LedgerTransaction.book_id == book.id)
        ).all()
    transactions: dict[int, tuple[str, list]] = {}
    for tid, kind, code, amount in rows:
        transactions.setdefault(tid, (kind, []))[1].append((code, amount))
    return balances, sorted((kind, sorted(postings)) for kind, postings in transactions.values())
