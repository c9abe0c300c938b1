"""Saving a card for any card owner (Stripe.js in live mode, Stripe's test cards in test mode), and the
emulator's bank checks for a card being saved or a payment waiting.

Every call to Stripe happens between the owner's (or payable's) own units of work, never inside one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.payments.context import Payments
from pledgebank.payments.customers import customer_id_for
from pledgebank.payments.gateway import CardSetup, PaymentStatus, TestCard
from pledgebank.payments.payable import CardOwner, Payable
from pledgebank.payments.sandbox import sandbox
from pledgebank.text import _t


def new_setup(
    ctx: Payments, *, user_id: int, metadata: dict[str, str], idempotency_key: str, now: datetime
) -> CardSetup:
    """A new SetupIntent for the user's Stripe customer (created on first use)."""
    customer_id = customer_id_for(ctx.sessions, ctx.gateway, user_id=user_id, now=now)
    return ctx.gateway.start_card_setup(
        customer_id=customer_id, metadata=metadata, idempotency_key=idempotency_key
    )


def use_test_card(
    ctx: Payments, owner: CardOwner, *, card: TestCard, return_url: str, now: datetime
) -> CardSetup:
    """Test mode: save one of Stripe's test cards for the owner."""
    setup = owner.start_setup(ctx, now)
    if setup.status == "pending":
        setup = sandbox(ctx.gateway).setup_with_test_card(
            setup_intent_id=setup.setup_intent_id, card=card, return_url=return_url
        )
    return owner.apply_setup(ctx, setup, now)


def finish_test_authentication(ctx: Payments, owner: CardOwner, *, succeed: bool, now: datetime) -> CardSetup:
    """Test mode (emulator): pass or fail the simulated bank check while saving the owner's card."""
    with unit_of_work(ctx.sessions) as session:
        setup_intent_id = owner.setup_intent_id(session)
    if setup_intent_id is None:
        raise Conflict(_t("There is no card waiting to be checked."))
    setup = sandbox(ctx.gateway).finish_test_authentication(setup_intent_id=setup_intent_id, succeed=succeed)
    return owner.apply_setup(ctx, setup, now)


def refresh_card(
    ctx: Payments, owner: CardOwner, *, now: datetime, also: Callable[[Session], None] | None = None
) -> CardSetup | None:
    """Read the owner's SetupIntent again (after Stripe.js, a redirect back, or a webhook) and apply it."""
    with unit_of_work(ctx.sessions) as session:
        setup_intent_id = owner.setup_intent_id(session)
    if setup_intent_id is None:
        return None
    return owner.apply_setup(ctx, ctx.gateway.card_setup(setup_intent_id), now, also)


def authenticate_payment(ctx: Payments, payable: Payable, *, succeed: bool, now: datetime) -> PaymentStatus:
    """Test mode (emulator): pass or fail the bank check that one of the payable's payments asked for."""
    with unit_of_work(ctx.sessions) as session:
        waiting = payable.waiting_payment(session)
    current = ctx.gateway.payment(waiting.payment_intent_id)
    if waiting.amount is not None and current.amount != waiting.amount:
        raise Conflict(
            _t("The amount due has changed since this payment was made; pay the new amount instead.")
        )
    payment = sandbox(ctx.gateway).finish_test_payment_authentication(
        payment_intent_id=waiting.payment_intent_id,
        client_secret=current.client_secret or "",
        succeed=succeed,
    )
    payable.apply_payment(ctx, payment, now)
    return payment.status
