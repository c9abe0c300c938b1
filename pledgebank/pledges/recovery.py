"""Payments started for a signup that has since moved on, by a process that died before recording them.

The usual path recovers its own attempts: when run-due comes back to a signup in the same state, the attempt's
key finds the Stripe object. But a signup can move on first (its pledge failed and it was released, or the
pledger started again with another card); a hold made for it then would stay on the card for a week. This
sweep finds such attempts once their lease has run out and settles them at Stripe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from pledgebank.db import unit_of_work
from pledgebank.payments.attempts import finish_attempt, stale_attempts
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import Payment, PaymentStatus
from pledgebank.payments.models import PaymentCustomer
from pledgebank.pledges.outcomes import apply_payment
from pledgebank.pledges.signups import get_signup
from pledgebank.pledges.states import SignupStatus

log = logging.getLogger(__name__)
LIVE = (PaymentStatus.AUTHORISED, PaymentStatus.NEEDS_AUTHENTICATION, PaymentStatus.DECLINED)
REFUND_NEEDED = "succeeded: refund needed"


@dataclass(frozen=True, slots=True)
class _Abandoned:
    key: str
    signup_id: int
    customer_id: str | None
    recorded_intent: str | None  # the PaymentIntent the signup has on record now


def _abandoned(ctx: Payments, now: datetime) -> list[_Abandoned]:
    with unit_of_work(ctx.sessions) as session:
        found = []
        stale = stale_attempts(
            session, now=now, lease=ctx.lease, operations=("hold", "charge"), subject_prefix="signup:"
        )
        for attempt in stale:
            signup = get_signup(session, int(attempt.subject.removeprefix("signup:")))
            current_round = attempt.key.startswith(f"pledge-signup:{signup.id}:{signup.round}:")
            if current_round and signup.status == SignupStatus.CARD_SAVED:
                continue  # still waiting for this very call: run-due recovers it on its usual path
            customer = session.get(PaymentCustomer, signup.user_id)
            found.append(
                _Abandoned(
                    attempt.key,
                    signup.id,
                    customer.customer_id if customer else None,
                    signup.payment_intent_id,
                )
            )
        return found


def recover_abandoned(ctx: Payments, *, now: datetime) -> int:
    """Settle holds and charges whose recording died and whose signup has moved on; return how many."""
    settled = 0
    for abandoned in _abandoned(ctx, now):
        payment = None
        if abandoned.customer_id:
            payment = ctx.gateway.find_payment(customer_id=abandoned.customer_id, attempt_key=abandoned.key)
        settled += _settle(ctx, abandoned, payment, now)
    return settled


def _settle(ctx: Payments, abandoned: _Abandoned, payment: Payment | None, now: datetime) -> int:
    key, signup_id = abandoned.key, abandoned.signup_id
    if payment is None:
        with unit_of_work(ctx.sessions) as session:
            finish_attempt(session, key=key, stripe_id=None, outcome="never reached stripe", now=now)
        return 0
    if payment.payment_intent_id == abandoned.recorded_intent:
        # Booked on the signup already (a webhook, or the pledger's page): the signup's payment, not a
        # stray one; apply it to finish the attempt, and leave it alone at Stripe.
        apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)
        return 1
    if payment.status == PaymentStatus.SUCCEEDED and abandoned.recorded_intent is not None:
        # The signup has a payment of its own on record (a hold to capture or release, or money taken):
        # this one is not the signup's, so it is not booked over it; it is finished and flagged once.
        with unit_of_work(ctx.sessions) as session:
            finished = finish_attempt(
                session, key=key, stripe_id=payment.payment_intent_id, outcome=REFUND_NEEDED, now=now
            )
        if finished:
            _ask_for_refund(signup_id, payment)
        return 1
    if payment.status == PaymentStatus.SUCCEEDED:
        # Money was taken and the signup has no payment on record: it pays the signup if it still owes.
        state = apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)
        if state != SignupStatus.CAPTURED:
            _ask_for_refund(signup_id, payment)
        return 1
    if payment.status in LIVE:
        payment = ctx.gateway.cancel(
            payment_intent_id=payment.payment_intent_id, idempotency_key=f"{key}:abandon"
        )
    with unit_of_work(ctx.sessions) as session:
        finish_attempt(
            session, key=key, stripe_id=payment.payment_intent_id, outcome=payment.status.value, now=now
        )
    return 1


def _ask_for_refund(signup_id: int, payment: Payment) -> None:
    log.error(
        "money taken for signup %s (%s) that did not owe it: refund it", signup_id, payment.payment_intent_id
    )
