"""Saving a pledger's card (Stripe.js in live mode, Stripe's test cards in test mode) and fixing a payment:
the card flow of `payments/` (`card_saving.py`) driven by the signup as its payable (`payable.py`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.payments import card_saving
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import CardSetup, PaymentStatus, TestCard
from pledgebank.pledges.outcomes import apply_payment
from pledgebank.pledges.payable import SignupCard, own_signup
from pledgebank.pledges.signups import get_signup
from pledgebank.pledges.states import SignupAction, SignupStatus, next_signup_status


def start_card(ctx: Payments, *, signup_id: int, user_id: int, now: datetime) -> CardSetup:
    """The SetupIntent for this round of the signup, created on first use."""
    return SignupCard(signup_id, user_id).start_setup(ctx, now)


def use_test_card(
    ctx: Payments, *, signup_id: int, user_id: int, card: TestCard, return_url: str, now: datetime
) -> CardSetup:
    """Test mode: save one of Stripe's test cards for this signup."""
    return card_saving.use_test_card(
        ctx, SignupCard(signup_id, user_id), card=card, return_url=return_url, now=now
    )


def finish_test_authentication(
    ctx: Payments, *, signup_id: int, user_id: int, succeed: bool, now: datetime
) -> CardSetup:
    """Test mode (emulator): pass or fail the simulated bank check while saving a card."""
    return card_saving.finish_test_authentication(
        ctx, SignupCard(signup_id, user_id), succeed=succeed, now=now
    )


def refresh_card(
    ctx: Payments, *, signup_id: int, now: datetime, also: Callable[[Session], None] | None = None
) -> CardSetup | None:
    """Read the signup's SetupIntent again (after Stripe.js, a redirect back, or a webhook) and apply it."""
    return card_saving.refresh_card(ctx, SignupCard(signup_id), now=now, also=also)


def replace_card(ctx: Payments, *, signup_id: int, user_id: int, now: datetime) -> CardSetup:
    """A declined hold: start again with another card (the old payment is abandoned)."""
    with unit_of_work(ctx.sessions) as session:
        signup = own_signup(session, signup_id, user_id)
        old_intent = signup.payment_intent_id
        old_key = f"pledge-signup:{signup.id}:{signup.round}:abandon"
        signup.status = next_signup_status(signup.status, SignupAction.NEW_CARD)
        signup.round += 1
        signup.setup_intent_id = signup.payment_intent_id = signup.payment_method_id = None
        signup.updated_at = now
    if old_intent:
        ctx.gateway.cancel(payment_intent_id=old_intent, idempotency_key=old_key)
    return start_card(ctx, signup_id=signup_id, user_id=user_id, now=now)


def authenticate_payment(
    ctx: Payments, *, signup_id: int, user_id: int, succeed: bool, now: datetime
) -> PaymentStatus:
    """Test mode (emulator): pass or fail the bank check a held payment asked for."""
    return card_saving.authenticate_payment(ctx, SignupCard(signup_id, user_id), succeed=succeed, now=now)


def refresh_payment(
    ctx: Payments,
    *,
    signup_id: int,
    now: datetime,
    payment_intent_id: str | None = None,
    also: Callable[[Session], None] | None = None,
) -> SignupStatus | None:
    """Read a PaymentIntent of the signup again (after Stripe.js or a webhook) and apply it: the one named,
    which a webhook knows even when the call that made it was never recorded, or else the signup's own."""
    intent = payment_intent_id
    if intent is None:
        with unit_of_work(ctx.sessions) as session:
            intent = get_signup(session, signup_id).payment_intent_id
    if intent is None:
        return None
    return apply_payment(ctx, signup_id, ctx.gateway.payment(intent), now=now, also=also)
