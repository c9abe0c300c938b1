"""Stripe webhooks: verified, stored once by event id together with their effects, acted on by re-fetching.

Events arrive late, twice or out of order; the handlers read the object's current state from Stripe and
only ever move a pledge signup or a levy charge forward, so any order of delivery converges on the same books.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.payments.attempts import started_subject
from pledgebank.payments.context import Payments
from pledgebank.payments.events import Concerning
from pledgebank.payments.gateway import PaymentRefused, WebhookEvent
from pledgebank.payments.models import RejectedWebhook, StripeEvent
from pledgebank.payments.refund_books import card_payment
from pledgebank.payments.refund_events import concerns_refunds, handle_refund_event
from pledgebank.payments.webhook_handlers import Found, WebhookHandlers

# Enough of a refused body to see what it was, without letting a sender fill the database.
KEPT_BYTES = 64 * 1024


def record_rejected_webhook(session: Session, *, body: bytes, reason: str, now: datetime) -> None:
    """Keep a signed webhook body that is not an event we can read: its reason, its size and its start."""
    session.add(
        RejectedWebhook(received_at=now, reason=reason[:200], size=len(body), body=bytes(body[:KEPT_BYTES]))
    )


def handle_event(ctx: Payments, handlers: WebhookHandlers, event: WebhookEvent, *, now: datetime) -> str:
    """Act on a verified event once; return what happened, in words (for the log and the response).

    Refunds and disputes are the books' own; an event about a PaymentIntent or SetupIntent goes to the
    feature whose handler (registered at assembly) knows the object."""
    with unit_of_work(ctx.sessions) as session:
        if session.get(StripeEvent, event.id) is not None:
            return "duplicate"
        found = (
            None if concerns_refunds(event) else handlers.find(session, event.object_type, event.object_id)
        )
    if found is None and event.object_type == Concerning.PAYMENT:
        found = _made_by_attempt(ctx, handlers, event.object_id)

    def remember(session: Session, effect: str = "applied") -> None:
        session.add(
            StripeEvent(
                id=event.id, type=event.type, object_id=event.object_id, received_at=now, effect=effect
            )
        )
        session.flush()  # trips the primary key on a concurrent duplicate, rolling back the effects too

    try:
        if concerns_refunds(event):
            return handle_refund_event(
                ctx,
                event,
                now=now,
                remember=remember,
                book_payment=lambda intent: _book_payment_first(ctx, handlers, intent, now=now),
            )
        if found is not None and found.apply(ctx, event.object_id, now=now, also=remember):
            return "applied"
        with unit_of_work(ctx.sessions) as session:
            remember(session, "ignored")  # none of ours, or applied in the meantime
        return "ignored"
    except IntegrityError:
        return "duplicate"


def _book_payment_first(
    ctx: Payments, handlers: WebhookHandlers, payment_intent_id: str, *, now: datetime
) -> None:
    """Book a card payment of ours that the books lack, from Stripe, as its own webhook would: a refund or
    dispute told before it (its webhook late, or the capture's process dead before recording it) then
    reverses booked income instead of being dropped. Payments no feature knows stay unbooked."""
    with unit_of_work(ctx.sessions) as session:
        if card_payment(session, payment_intent_id) is not None:
            return
        found = handlers.find(session, Concerning.PAYMENT, payment_intent_id)
    if found is None:
        found = _made_by_attempt(ctx, handlers, payment_intent_id)
    if found is not None:
        found.apply(ctx, payment_intent_id, now=now)


def _made_by_attempt(ctx: Payments, handlers: WebhookHandlers, payment_intent_id: str) -> Found | None:
    """The payable of a PaymentIntent we have no record of yet: one made by a call whose process died before
    recording it. Its metadata names the attempt; only an attempt row of ours, still started, is believed."""
    try:
        key = (ctx.gateway.payment(payment_intent_id).metadata or {}).get("attempt")
    except PaymentRefused:
        return None  # not a PaymentIntent of this account
    if not key:
        return None
    with unit_of_work(ctx.sessions) as session:
        subject = started_subject(session, key) or ""
    return handlers.by_subject(subject)
