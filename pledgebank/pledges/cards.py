"""Saving a pledger's card (Stripe.js in live mode, Stripe's test cards in test mode) and fixing a payment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden
from pledgebank.payments.customers import customer_id_for
from pledgebank.payments.gateway import CardSetup, PaymentStatus, TestCard
from pledgebank.payments.sandbox import sandbox
from pledgebank.pledges.outcomes import apply_payment
from pledgebank.pledges.payments import Payments, place_hold
from pledgebank.pledges.signups import apply_card_setup, get_signup
from pledgebank.pledges.states import PledgeStatus, SignupAction, SignupStatus, next_signup_status


def _own(session, signup_id: int, user_id: int):
    signup = get_signup(session, signup_id, lock=True)
    if signup.user_id != user_id:
        raise Forbidden("That is not your pledge.")
    return signup


def start_card(ctx: Payments, *, signup_id: int, user_id: int, now: datetime) -> CardSetup:
    """The SetupIntent for this round of the signup, created on first use."""
    with unit_of_work(ctx.sessions) as session:
        signup = _own(session, signup_id, user_id)
        if signup.status != SignupStatus.CARD_PENDING:
            raise Conflict("This pledge does not need a card now.")
        existing, round_, pledge_id = signup.setup_intent_id, signup.round, signup.pledge_id
    if existing:
        setup = ctx.gateway.card_setup(existing)
        if setup.status != "declined":
            return setup
    customer_id = customer_id_for(ctx.sessions, ctx.gateway, user_id=user_id, now=now)
    setup = ctx.gateway.start_card_setup(
        customer_id=customer_id,
        metadata={"pledge": str(pledge_id), "signup": str(signup_id), "round": str(round_)},
        idempotency_key=f"pledge-signup:{signup_id}:{round_}:setup:{existing or 'first'}",
    )
    with unit_of_work(ctx.sessions) as session:
        signup = _own(session, signup_id, user_id)
        if signup.round == round_ and signup.setup_intent_id in (None, existing):
            signup.setup_intent_id = setup.setup_intent_id
        else:
            return ctx.gateway.card_setup(signup.setup_intent_id)
    return setup


def use_test_card(
    ctx: Payments, *, signup_id: int, user_id: int, card: TestCard, return_url: str, now: datetime
) -> CardSetup:
    """Test mode: save one of Stripe's test cards for this signup."""
    setup = start_card(ctx, signup_id=signup_id, user_id=user_id, now=now)
    if setup.status == "pending":
        setup = sandbox(ctx.gateway).setup_with_test_card(
            setup_intent_id=setup.setup_intent_id, card=card, return_url=return_url
        )
    return _apply_setup(ctx, signup_id, setup, now)


def finish_test_authentication(
    ctx: Payments, *, signup_id: int, user_id: int, succeed: bool, now: datetime
) -> CardSetup:
    """Test mode (emulator): pass or fail the simulated bank check while saving a card."""
    with unit_of_work(ctx.sessions) as session:
        setup_intent_id = _own(session, signup_id, user_id).setup_intent_id
    if setup_intent_id is None:
        raise Conflict("There is no card waiting to be checked.")
    setup = sandbox(ctx.gateway).finish_test_authentication(setup_intent_id=setup_intent_id, succeed=succeed)
    return _apply_setup(ctx, signup_id, setup, now)


def refresh_card(
    ctx: Payments, *, signup_id: int, now: datetime, also: Callable[[Session], None] | None = None
) -> CardSetup | None:
    """Read the signup's SetupIntent again (after Stripe.js, a redirect back, or a webhook) and apply it."""
    with unit_of_work(ctx.sessions) as session:
        setup_intent_id = get_signup(session, signup_id).setup_intent_id
    if setup_intent_id is None:
        return None
    return _apply_setup(ctx, signup_id, ctx.gateway.card_setup(setup_intent_id), now, also)


def _apply_setup(
    ctx: Payments,
    signup_id: int,
    setup: CardSetup,
    now: datetime,
    also: Callable[[Session], None] | None = None,
) -> CardSetup:
    with unit_of_work(ctx.sessions) as session:
        if also is not None:
            also(session)
        signup = apply_card_setup(session, signup_id=signup_id, setup=setup, now=now)
        state, pledge_state = signup.status, signup.pledge.status
    if setup.status == "saved" and state == SignupStatus.CARD_SAVED:
        # Activated already: hold the card like everyone else's; succeeded already: charge it now.
        if pledge_state == PledgeStatus.COLLECTING:
            place_hold(ctx, signup_id, now=now)
        elif pledge_state == PledgeStatus.SUCCEEDED:
            place_hold(ctx, signup_id, now=now, charge_now=True)
    return setup


def replace_card(ctx: Payments, *, signup_id: int, user_id: int, now: datetime) -> CardSetup:
    """A declined hold: start again with another card (the old payment is abandoned)."""
    with unit_of_work(ctx.sessions) as session:
        signup = _own(session, signup_id, user_id)
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
    with unit_of_work(ctx.sessions) as session:
        signup = _own(session, signup_id, user_id)
        intent = signup.payment_intent_id
    if intent is None or signup.status != SignupStatus.ACTION_NEEDED:
        raise Conflict("This pledge has no payment waiting for a check.")
    current = ctx.gateway.payment(intent)
    payment = sandbox(ctx.gateway).finish_test_payment_authentication(
        payment_intent_id=intent, client_secret=current.client_secret or "", succeed=succeed
    )
    apply_payment(ctx, signup_id, payment, now=now)
    return payment.status


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
