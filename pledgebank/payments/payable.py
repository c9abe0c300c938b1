"""What the one card flow needs to know of a thing paid for with a saved card.

Two small protocols: a `CardOwner` is what a card is saved for (a pledge signup, a household paying a levy's
charges), a `Payable` what one payment is for (a pledge signup, one levy charge). A pledge signup is both
(`pledges/payable.py`); a levy has the household (`levies/payable.py`) and the charge
(`levies/payments.py`). Saving a card (`card_saving.py`), taking money off-session, holds (`card_charges.py`)
and the card pages (`payments/web/card_flow.py`) are written once against them: a new payable (a supplier
invoice, a ticket) is a new implementation, not a copy. Each method opens its own unit of work or uses the
one given, and keeps its feature's rules: who may act on it, which round of keys is current, what a saved
card or a payment's outcome means for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, Payment

Also = Callable[[Session], None] | None  # work for the same unit of work (a webhook records its event)


@dataclass(frozen=True, slots=True)
class WaitingPayment:
    """A payment of the payable that waits for the bank's check, and the amount it must still be for."""

    payment_intent_id: str
    amount: int | None = None  # None: whatever it was made for


class CardOwner(Protocol):
    """What a card is saved for: the SetupIntent in progress, starting one, and applying its outcome."""

    def setup_intent_id(self, session: Session) -> str | None:
        """The SetupIntent of the card being saved for it, if any (checking that the person may act)."""
        ...

    def start_setup(self, ctx: Payments, now: datetime) -> CardSetup:
        """The SetupIntent for its next card: one in progress reused, or a new one (`card_saving.new_setup`
        with its Stripe customer, metadata and idempotency key)."""
        ...

    def apply_setup(self, ctx: Payments, setup: CardSetup, now: datetime, also: Also = None) -> CardSetup:
        """Mark the card saved (or declined) on it, and do what follows (a hold, a consent); `also` runs in
        the same unit of work (a webhook records its event there)."""
        ...


class Payable(Protocol):
    """What a payment from a saved card is for: the payment waiting for the bank, and applying outcomes."""

    def waiting_payment(self, session: Session) -> WaitingPayment:
        """Its payment waiting for the bank's check; Conflict (in its own words) when there is none."""
        ...

    def apply_payment(self, ctx: Payments, payment: Payment, now: datetime) -> object:
        """Bring it in line with one of its payments as Stripe reports it (held, paid, failed)."""
        ...
