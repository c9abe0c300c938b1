"""Stripe webhooks: verified, stored once by event id together with their effects, acted on by re-fetching.

Events arrive late, twice or out of order; the handlers read the object's current state from Stripe and
only ever move a pledge signup or a levy charge forward, so any order of delivery converges on the same books.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.levies.cards import refresh_card as refresh_household_card
from pledgebank.levies.payments import refresh_payment as refresh_levy_payment
from pledgebank.levies.queries import levy_object_for
from pledgebank.payments.attempts import started_subject
from pledgebank.payments.gateway import PaymentRefused, WebhookEvent
from pledgebank.payments.models import RejectedWebhook, StripeEvent
from pledgebank.payments.refund_books import card_payment
from pledgebank.payments.refund_events import concerns_refunds, handle_refund_event
from pledgebank.pledges.cards import refresh_card, refresh_payment
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.payments import Payments

# Enough of a refused body to see what it was, without letting a sender fill the database.
KEPT_BYTES = 64 * 1024


def record_rejected_webhook(session: Session, *, body: bytes, reason: str, now: datetime) -> None:
    """Keep a signed webhook body that is not an event we can read: its reason, its size and its start."""
    session.add(
        RejectedWebhook(received_at=now, reason=reason[:200], size=len(body), body=bytes(body[:KEPT_BYTES]))
    )


def handle_event(ctx: Payments, event: WebhookEvent, *, now: datetime) -> str:
    """Act on a verified event once; return what happened, in words (for the log and the response)."""
    with unit_of_work(ctx.sessions) as session:
        if session.get(StripeEvent, event.id) is not None:
            return "duplicate"
        if concerns_refunds(event):
            signup_id, levy_target = None, None
        else:
            signup_id = _signup_for(session, event)
            levy_target = levy_object_for(session, event.object_type, event.object_id)
    if signup_id is None and levy_target is None and event.object_type == "payment_intent":
        signup_id, levy_target = _made_by_attempt(ctx, event.object_id)

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
                book_payment=lambda intent: _book_payment_first(ctx, intent, now=now),
            )
        if signup_id is None and levy_target is not None:
            return _levy_event(ctx, event, levy_target, now=now, also=remember)
        if signup_id is None:
            with unit_of_work(ctx.sessions) as session:
                remember(session, "ignored")
            return "ignored"
        if event.object_type == "payment_intent":
            refresh_payment(
                ctx, signup_id=signup_id, payment_intent_id=event.object_id, now=now, also=remember
            )
        else:
            refresh_card(ctx, signup_id=signup_id, now=now, also=remember)
    except IntegrityError:
        return "duplicate"
    return "applied"


def _levy_event(
    ctx: Payments, event: WebhookEvent, target: int, *, now: datetime, also: Callable[..., None]
) -> str:
    if event.object_type == "payment_intent":
        refresh_levy_payment(ctx, charge_id=target, payment_intent_id=event.object_id, now=now, also=also)
    elif refresh_household_card(ctx, household_id=target, now=now, also=also) is None:
        with unit_of_work(ctx.sessions) as session:
            also(session, "ignored")  # the card was applied in the meantime
        return "ignored"
    return "applied"


def _book_payment_first(ctx: Payments, payment_intent_id: str, *, now: datetime) -> None:
    """Book a card payment of ours that the books lack, from Stripe, as its own webhook would: a refund or
    dispute told before it (its webhook late, or the capture's process dead before recording it) then
    reverses booked income instead of being dropped. Payments of no signup or levy charge stay unbooked."""
    with unit_of_work(ctx.sessions) as session:
        if card_payment(session, payment_intent_id) is not None:
            return
        signup_id = session.scalar(
            select(PledgeSignup.id).where(PledgeSignup.payment_intent_id == payment_intent_id)
        )
        levy_target = levy_object_for(session, "payment_intent", payment_intent_id)
    if signup_id is None and levy_target is None:
        signup_id, levy_target = _made_by_attempt(ctx, payment_intent_id)
    if signup_id is not None:
        refresh_payment(ctx, signup_id=signup_id, payment_intent_id=payment_intent_id, now=now)
    elif levy_target is not None:
        refresh_levy_payment(ctx, charge_id=levy_target, payment_intent_id=payment_intent_id, now=now)


def _made_by_attempt(ctx: Payments, payment_intent_id: str) -> tuple[int | None, int | None]:
    """(signup, levy charge) of a PaymentIntent we have no record of yet: one made by a call whose process
    died before recording it. Its metadata names the attempt; only an attempt row of ours, still started,
    is believed."""
    try:
        key = (ctx.gateway.payment(payment_intent_id).metadata or {}).get("attempt")
    except PaymentRefused:
        return None, None  # not a PaymentIntent of this account
    if not key:
        return None, None
    with unit_of_work(ctx.sessions) as session:
        subject = started_subject(session, key) or ""
    kind, _, number = subject.partition(":")
    if not number.isdigit():
        return None, None
    if kind == "signup":
        return int(number), None
    return (None, int(number)) if kind == "levy-charge" else (None, None)


def _signup_for(session: Session, event: WebhookEvent) -> int | None:
    if event.object_type == "payment_intent":
        column = PledgeSignup.payment_intent_id
    elif event.object_type == "setup_intent":
        column = PledgeSignup.setup_intent_id
    else:
        return None
    return session.scalar(select(PledgeSignup.id).where(column == event.object_id))
