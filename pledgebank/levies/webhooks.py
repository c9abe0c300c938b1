"""The levies' part in Stripe's webhooks, registered at assembly: a PaymentIntent pays a levy charge, a
SetupIntent saves a household's card. Payments finds the handler; the work is in levies.payments and cards."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.levies.cards import refresh_card
from pledgebank.levies.models import Household, LevyCharge
from pledgebank.levies.payments import refresh_payment
from pledgebank.payments.context import Payments
from pledgebank.payments.events import Concerning
from pledgebank.payments.webhook_handlers import Also, Handler, WebhookHandlers

# The kind named in the subject of a charge's payment attempts ("levy-charge:7").
PAYABLE = "levy-charge"


def register(handlers: WebhookHandlers) -> None:
    """Give payments the levies' handlers of PaymentIntents and SetupIntents."""
    handlers.register(Concerning.PAYMENT, Handler(find=_charge_paid_by, apply=_payment), payable=PAYABLE)
    handlers.register(Concerning.CARD_SETUP, Handler(find=_household_saving, apply=_card))


def _charge_paid_by(session: Session, payment_intent_id: str) -> int | None:
    return session.scalar(select(LevyCharge.id).where(LevyCharge.payment_intent_id == payment_intent_id))


def _household_saving(session: Session, setup_intent_id: str) -> int | None:
    return session.scalar(select(Household.id).where(Household.setup_intent_id == setup_intent_id))


def _payment(
    ctx: Payments, charge_id: int, payment_intent_id: str, *, now: datetime, also: Also | None = None
) -> bool:
    refresh_payment(ctx, charge_id=charge_id, payment_intent_id=payment_intent_id, now=now, also=also)
    return True


def _card(
    ctx: Payments, household_id: int, setup_intent_id: str, *, now: datetime, also: Also | None = None
) -> bool:
    # None: the household has no card being saved (the card was applied in the meantime).
    return refresh_card(ctx, household_id=household_id, now=now, also=also) is not None
