"""Money movements of a signup through the gateway: hold, charge, capture and cancel.

Every call to Stripe happens outside a database transaction, between an attempt row committed before it
and a unit of work that stores its outcome, its ledger transaction and the attempt's end together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.payments import card_charges
from pledgebank.payments.attempts import finish_attempt, started_subject
from pledgebank.payments.card_charges import CardCharge
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import PaymentStatus
from pledgebank.payments.models import PaymentCustomer
from pledgebank.pledges.outcomes import apply_payment, signup_key
from pledgebank.pledges.signups import get_signup, lock_signup
from pledgebank.pledges.states import (
    PledgeStatus,
    SignupAction,
    SignupStatus,
    can_signup,
    next_signup_status,
)


@dataclass(frozen=True, slots=True)
class _Signup:
    """What a money movement needs to know about a signup, read in a short transaction of its own."""

    id: int
    pledge_id: int
    round: int
    status: SignupStatus
    amount: int
    currency: str
    payment_method_id: str | None
    payment_intent_id: str | None
    customer_id: str | None


def _metadata(signup: _Signup, key: str) -> dict[str, str]:
    return {"attempt": key, "pledge": str(signup.pledge_id), "signup": str(signup.id)}


def _snapshot(ctx: Payments, signup_id: int) -> _Signup:
    with unit_of_work(ctx.sessions) as session:
        signup = get_signup(session, signup_id)
        customer = session.get(PaymentCustomer, signup.user_id)
        return _Signup(
            signup.id,
            signup.pledge_id,
            signup.round,
            signup.status,
            signup.amount,
            signup.pledge.currency,
            signup.payment_method_id,
            signup.payment_intent_id,
            customer.customer_id if customer else None,
        )


def place_hold(
    ctx: Payments, signup_id: int, *, now: datetime, charge_now: bool = False
) -> SignupStatus | None:
    """Hold (or, after success, charge) a saved card off-session; None when there was nothing to do."""
    signup = _snapshot(ctx, signup_id)
    if signup.status != SignupStatus.CARD_SAVED or not signup.payment_method_id or signup.customer_id is None:
        return None
    if not charge_now:
        return _pay(ctx, signup, "hold", now, _still(signup, (PledgeStatus.COLLECTING,)))
    settle_hold = []

    def charge_guard(session: Session) -> bool:
        # Decided under the signup's lock, where holds are started too: a hold started before the pledge
        # succeeded (its outcome not booked yet) is settled, to be captured, instead of charging the card.
        if not _still(signup, (PledgeStatus.SUCCEEDED,))(session):
            return False
        if started_subject(session, signup_key(signup, "hold")) is not None:
            settle_hold.append(True)
            return False
        return True

    outcome = _pay(ctx, signup, "charge", now, charge_guard)
    if not settle_hold:
        return outcome
    return _pay(ctx, signup, "hold", now, _still(signup, (PledgeStatus.SUCCEEDED,), started="hold"))


def _pay(
    ctx: Payments, signup: _Signup, step: str, now: datetime, guard: Callable[[Session], bool]
) -> SignupStatus | None:
    """One hold or charge of the signup's saved card, through its attempt row."""
    key = signup_key(signup, step)
    customer_id, payment_method_id = signup.customer_id, signup.payment_method_id
    if customer_id is None or payment_method_id is None:  # no saved card to use (place_hold checks first)
        return None
    charge = CardCharge(
        key=key,
        subject=f"signup:{signup.id}",
        customer_id=customer_id,
        payment_method_id=payment_method_id,
        amount=signup.amount,
        currency=signup.currency,
        metadata=_metadata(signup, key),
    )
    payment = card_charges.take(ctx, charge, now=now, guard=guard, hold=step == "hold")
    if payment is None:
        return None
    return apply_payment(ctx, signup.id, payment, now=now, attempt_key=key)


def _still(
    signup: _Signup, pledge_states: tuple[PledgeStatus, ...], *, started: str | None = None
) -> Callable[[Session], bool]:
    """A guard: the signup and its pledge (locked, pledge first) are still where the call was decided on:
    the signup in the state and round it was read in, and, with `started`, that step's attempt started."""

    def guard(session: Session) -> bool:
        pledge, fresh = lock_signup(session, signup.id)
        if fresh.status != signup.status or fresh.round != signup.round or pledge.status not in pledge_states:
            return False
        return started is None or started_subject(session, signup_key(signup, started)) is not None

    return guard


def capture(ctx: Payments, signup_id: int, *, now: datetime) -> SignupStatus | None:
    """Take the money of a held card."""
    signup = _snapshot(ctx, signup_id)
    if signup.status != SignupStatus.HELD or not signup.payment_intent_id:
        return None
    key = signup_key(signup, "capture")
    payment = card_charges.capture(
        ctx,
        key=key,
        subject=f"signup:{signup.id}",
        payment_intent_id=signup.payment_intent_id,
        now=now,
        guard=_still(signup, (PledgeStatus.SUCCEEDED,)),
    )
    if payment is None:
        return None
    return apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)


def cancel(ctx: Payments, signup_id: int, *, now: datetime, then: SignupAction) -> SignupStatus | None:
    """Release a hold (or a payment waiting for action), then mark the signup released or lapsed."""
    signup = _snapshot(ctx, signup_id)
    if not can_signup(signup.status, then):
        return None
    if signup.payment_intent_id and signup.status in (SignupStatus.HELD, SignupStatus.ACTION_NEEDED):
        key = signup_key(signup, "cancel")
        payment = card_charges.release(
            ctx, key=key, subject=f"signup:{signup.id}", payment_intent_id=signup.payment_intent_id, now=now
        )
        if payment is None:
            return None
        if payment.status == PaymentStatus.SUCCEEDED:
            # Captured after all (a late capture won the race): keep the record true to Stripe.
            return apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)
    with unit_of_work(ctx.sessions) as session:
        fresh = lock_signup(session, signup_id)[1]
        if not can_signup(fresh.status, then):
            return fresh.status
        fresh.status = next_signup_status(fresh.status, then)
        fresh.updated_at = now
        if signup.payment_intent_id:
            finish_attempt(
                session,
                key=signup_key(signup, "cancel"),
                stripe_id=signup.payment_intent_id,
                outcome="canceled",
                now=now,
            )
        return fresh.status
