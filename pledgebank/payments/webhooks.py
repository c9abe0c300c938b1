"""Stripe webhooks: verified, stored once by event id together with their effects, acted on by re-fetching.

Events arrive late, twice or out of order; the handlers read the object's current state from Stripe and
only ever move a signup forward, so any order of delivery converges on the same books.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import WebhookEvent
from pledgebank.payments.models import StripeEvent
from pledgebank.pledges.cards import refresh_card, refresh_payment
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.payments import Payments


def handle_event(ctx: Payments, event: WebhookEvent, *, now: datetime) -> str:
    """Act on a verified event once; return what happened, in words (for the log and the response)."""
    with unit_of_work(ctx.sessions) as session:
        if session.get(StripeEvent, event.id) is not None:
            return "duplicate"
        signup_id = _signup_for(session, event)

    def remember(session: Session, effect: str = "applied") -> None:
        session.add(
            StripeEvent(
                id=event.id, type=event.type, object_id=event.object_id, received_at=now, effect=effect
            )
        )
        session.flush()  # trips the primary key on a concurrent duplicate, rolling back the effects too

    try:
        if signup_id is None:
            with unit_of_work(ctx.sessions) as session:
                remember(session, "ignored")
            return "ignored"
        if event.object_type == "payment_intent":
            refresh_payment(ctx, signup_id=signup_id, now=now, also=remember)
        else:
            refresh_card(ctx, signup_id=signup_id, now=now, also=remember)
    except IntegrityError:
        return "duplicate"
    return "applied"


def _signup_for(session: Session, event: WebhookEvent) -> int | None:
    if event.object_type == "payment_intent":
        column = PledgeSignup.payment_intent_id
    elif event.object_type == "setup_intent":
        column = PledgeSignup.setup_intent_id
    else:
        return None
    return session.scalar(select(PledgeSignup.id).where(column == event.object_id))
