"""The pledges' part in Stripe's webhooks, registered at assembly: a PaymentIntent holds or charges a
signup's pledge, a SetupIntent saves its card. Payments finds the handler; the work is in pledges.cards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.payments.context import Payments
from pledgebank.payments.events import Concerning
from pledgebank.payments.webhook_handlers import Also, Handler, WebhookHandlers
from pledgebank.pledges.cards import refresh_card, refresh_payment
from pledgebank.pledges.models import PledgeSignup

# The kind named in the subject of a signup's payment attempts ("signup:12").
PAYABLE = "signup"


def register(handlers: WebhookHandlers) -> None:
    """Give payments the pledges' handlers of PaymentIntents and SetupIntents."""
    handlers.register(Concerning.PAYMENT, Handler(find=_signup_paying, apply=_payment), payable=PAYABLE)
    handlers.register(Concerning.CARD_SETUP, Handler(find=_signup_saving, apply=_card))


def _signup_paying(session: Session, payment_intent_id: str) -> int | None:
    return session.scalar(select(PledgeSignup.id).where(PledgeSignup.payment_intent_id == payment_intent_id))


def _signup_saving(session: Session, setup_intent_id: str) -> int | None:
    return session.scalar(select(PledgeSignup.id).where(PledgeSignup.setup_intent_id == setup_intent_id))


def _payment(
    ctx: Payments, signup_id: int, payment_intent_id: str, *, now: datetime, also: Also | None = None
) -> bool:
    refresh_payment(ctx, signup_id=signup_id, payment_intent_id=payment_intent_id, now=now, also=also)
    return True


def _card(
    ctx: Payments, signup_id: int, setup_intent_id: str, *, now: datetime, also: Also | None = None
) -> bool:
    # None: the signup has no card being saved any more.
    return refresh_card(ctx, signup_id=signup_id, now=now, also=also) is not None
