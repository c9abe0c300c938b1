"""Webhook events about refunds and disputes: which payment they concern, found by asking Stripe.

The event only says what changed; the books follow the payment's refunds and disputes as Stripe holds them
now (sync_payment), so a duplicate, a replay or events in any order leave the same books.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import PaymentRefused, WebhookEvent
from pledgebank.payments.refunds import sync_payment

REFUND_EVENTS = (
    "charge.refunded",
    "charge.refund.updated",
    "refund.created",
    "refund.updated",
    "refund.failed",
)
DISPUTE_EVENTS = (
    "charge.dispute.created",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
    "charge.dispute.closed",
    "charge.dispute.updated",
)


def concerns_refunds(event: WebhookEvent) -> bool:
    """Whether the event is about a refund or a dispute of a charge."""
    return event.type in REFUND_EVENTS or event.type in DISPUTE_EVENTS


def _payment_intent(ctx: Payments, event: WebhookEvent) -> str | None:
    try:
        if event.object_type == "charge":
            return ctx.gateway.charge_payment_intent(event.object_id)
        if event.object_type == "dispute":
            charge = ctx.gateway.dispute(event.object_id).charge_id
            return ctx.gateway.charge_payment_intent(charge)
        if event.object_type == "refund":
            refund = ctx.gateway.refund_of(event.object_id)
            return refund.payment_intent_id or ctx.gateway.charge_payment_intent(refund.charge_id)
    except PaymentRefused:
        return None  # not an object of this account
    return None


def handle_refund_event(
    ctx: Payments,
    event: WebhookEvent,
    *,
    now: datetime,
    remember: Callable[..., None],
    book_payment: Callable[[str], None] | None = None,
) -> str:
    """Bring the books up to date with the refunds and disputes of the payment the event is about.

    `book_payment(payment_intent_id)` runs first: a refund or dispute can be told before the payment it
    takes from is booked, and is then posted after it rather than dropped.
    """
    payment_intent_id = _payment_intent(ctx, event)
    if payment_intent_id is None:
        with unit_of_work(ctx.sessions) as session:
            remember(session, "ignored")
        return "ignored"
    if book_payment is not None:
        book_payment(payment_intent_id)

    def also(session: Session, known: bool) -> None:
        remember(session, "applied" if known else "ignored")

    known = sync_payment(ctx, payment_intent_id, now=now, also=also) is not None
    return "applied" if known else "ignored"
