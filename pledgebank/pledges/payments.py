"""Money movements of a signup through the gateway: hold, charge, capture, cancel, and applying outcomes.

Every call to Stripe happens outside a database transaction, between an attempt row committed before it
and a unit of work that stores its outcome, its ledger transaction and the attempt's end together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.services import book_of, post
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.payments.attempts import attempt_once, finish_attempt
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import Payment, PaymentStatus
from pledgebank.payments.models import PaymentCustomer
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.services import tell
from pledgebank.pledges.signups import get_signup
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
    state: SignupStatus
    amount: int
    currency: str
    payment_method_id: str | None
    payment_intent_id: str | None
    customer_id: str | None


def _key(signup: PledgeSignup | _Signup, step: str) -> str:
    return f"pledge-signup:{signup.id}:{signup.round}:{step}"


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
            signup.state,
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
    customer_id = signup.customer_id
    if signup.state != SignupStatus.CARD_SAVED or not signup.payment_method_id or customer_id is None:
        return None
    step = "charge" if charge_now else "hold"
    key = _key(signup, step)
    method = ctx.gateway.charge if charge_now else ctx.gateway.hold

    def call() -> Payment:
        return method(
            customer_id=customer_id,
            payment_method_id=signup.payment_method_id,
            amount=signup.amount,
            currency=signup.currency,
            metadata=_metadata(signup, key),
            idempotency_key=key,
        )

    payment = attempt_once(
        ctx.sessions,
        key=key,
        operation=step,
        subject=f"signup:{signup.id}",
        now=now,
        lease=ctx.lease,
        call=call,
        recover=lambda: ctx.gateway.find_payment(customer_id=customer_id, attempt_key=key),
    )
    if payment is None:
        return None
    return apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)


def capture(ctx: Payments, signup_id: int, *, now: datetime) -> SignupStatus | None:
    """Take the money of a held card."""
    signup = _snapshot(ctx, signup_id)
    if signup.state != SignupStatus.HELD or not signup.payment_intent_id:
        return None
    key = _key(signup, "capture")
    intent = signup.payment_intent_id

    def recover() -> Payment | None:
        payment = ctx.gateway.payment(intent)
        return payment if payment.status != PaymentStatus.AUTHORISED else None

    payment = attempt_once(
        ctx.sessions,
        key=key,
        operation="capture",
        subject=f"signup:{signup.id}",
        now=now,
        lease=ctx.lease,
        call=lambda: ctx.gateway.capture(payment_intent_id=intent, idempotency_key=key),
        recover=recover,
    )
    if payment is None:
        return None
    return apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)


def cancel(ctx: Payments, signup_id: int, *, now: datetime, then: SignupAction) -> SignupStatus | None:
    """Release a hold (or a payment waiting for action), then mark the signup released or lapsed."""
    signup = _snapshot(ctx, signup_id)
    if not can_signup(signup.state, then):
        return None
    if signup.payment_intent_id and signup.state in (SignupStatus.HELD, SignupStatus.ACTION_NEEDED):
        key = _key(signup, "cancel")
        intent = signup.payment_intent_id

        def recover() -> Payment | None:
            payment = ctx.gateway.payment(intent)
            return payment if payment.status == PaymentStatus.CANCELED else None

        payment = attempt_once(
            ctx.sessions,
            key=key,
            operation="cancel",
            subject=f"signup:{signup.id}",
            now=now,
            lease=ctx.lease,
            call=lambda: ctx.gateway.cancel(payment_intent_id=intent, idempotency_key=key),
            recover=recover,
        )
        if payment is None:
            return None
        if payment.status == PaymentStatus.SUCCEEDED:
            # Captured after all (a late capture won the race): keep the record true to Stripe.
            return apply_payment(ctx, signup_id, payment, now=now, attempt_key=key)
    with unit_of_work(ctx.sessions) as session:
        fresh = get_signup(session, signup_id, lock=True)
        if not can_signup(fresh.state, then):
            return fresh.state
        fresh.status = next_signup_status(fresh.state, then).value
        fresh.updated_at = now
        if signup.payment_intent_id:
            finish_attempt(
                session,
                key=_key(signup, "cancel"),
                stripe_id=signup.payment_intent_id,
                outcome="canceled",
                now=now,
            )
        return fresh.state


def apply_payment(
    ctx: Payments,
    signup_id: int,
    payment: Payment,
    *,
    now: datetime,
    attempt_key: str | None = None,
    also: Callable[[Session], None] | None = None,
) -> SignupStatus:
    """Bring the signup in line with the payment's state at Stripe; only ever forward.

    `also` runs first in the same unit of work (a webhook stores its event id there, so a duplicate
    delivery rolls back with no effect).
    """
    settlement = None
    if payment.status == PaymentStatus.SUCCEEDED and payment.charge_id:
        settlement = ctx.gateway.settlement(payment.charge_id)
    with unit_of_work(ctx.sessions) as session:
        if also is not None:
            also(session)
        signup = get_signup(session, signup_id, lock=True)
        if attempt_key is not None:
            finish_attempt(
                session,
                key=attempt_key,
                stripe_id=payment.payment_intent_id or None,
                outcome=payment.status.value,
                now=now,
            )
        known = signup.payment_intent_id
        stale = bool(payment.payment_intent_id) and known not in (None, payment.payment_intent_id)
        if stale and payment.status != PaymentStatus.SUCCEEDED:
            return signup.state  # an old round's payment says nothing now (unless money moved)
        if signup.payment_intent_id is None and payment.payment_intent_id:
            signup.payment_intent_id = payment.payment_intent_id
        _advance(session, signup, payment, settlement, now, ctx.zone)
        return signup.state


def _advance(
    session: Session, signup: PledgeSignup, payment: Payment, settlement, now: datetime, zone: str
) -> None:
    state = signup.state
    if payment.status == PaymentStatus.SUCCEEDED and can_signup(state, SignupAction.CAPTURE):
        signup.status = next_signup_status(state, SignupAction.CAPTURE).value
        signup.updated_at = now
        _post_card_payment(session, signup, payment, settlement, now, zone)
        tell(session, signup, "Receipt: your pledge is paid", "pledges/paid")
    elif payment.status == PaymentStatus.AUTHORISED and can_signup(state, SignupAction.HOLD):
        signup.status = next_signup_status(state, SignupAction.HOLD).value
        signup.decline_code, signup.updated_at = None, now
    elif _hold_failed(signup, payment) and can_signup(state, SignupAction.HOLD_FAILED):
        signup.status = next_signup_status(state, SignupAction.HOLD_FAILED).value
        signup.decline_code = payment.decline_code or payment.status.value
        signup.updated_at = now
        tell(
            session,
            signup,
            "Action needed on your pledge",
            "pledges/action_needed",
            {
                "authenticate": payment.status == PaymentStatus.NEEDS_AUTHENTICATION,
                "collection_ends_at": signup.pledge.collection_ends_at,
            },
        )
    elif (
        state == SignupStatus.ACTION_NEEDED
        and payment.status == PaymentStatus.DECLINED
        and payment.decline_code
    ):
        # Still waiting on the pledger, for a new reason (e.g. the bank's check failed): say which.
        signup.decline_code, signup.updated_at = payment.decline_code, now


def _hold_failed(signup: PledgeSignup, payment: Payment) -> bool:
    if payment.status in (PaymentStatus.NEEDS_AUTHENTICATION, PaymentStatus.DECLINED):
        return signup.state != SignupStatus.HELD
    # A hold released at Stripe during collection (dashboard, bank) holds no money now: ask for another card.
    return (
        payment.status == PaymentStatus.CANCELED
        and signup.state == SignupStatus.HELD
        and signup.pledge.state == PledgeStatus.COLLECTING
    )


def _post_card_payment(
    session: Session, signup: PledgeSignup, payment: Payment, settlement, now: datetime, zone: str
) -> None:
    pledge = signup.pledge
    fund = session.scalar(select(Fund.slug).where(Fund.id == pledge.fund_id))
    gross = settlement.amount if settlement else payment.amount
    fee = settlement.fee if settlement else 0
    entry = rules.card_payment_received(
        gross=Money(gross, pledge.currency),
        fee=Money(fee, pledge.currency),
        fund=fund,
        income_source="pledges",
        key=_key(signup, "paid"),
        on=local_date(now, zone),
        source={
            "pledge": pledge.id,
            "signup": signup.id,
            "payment_intent": payment.payment_intent_id,
            "charge": payment.charge_id or "",
            "balance_transaction": settlement.balance_transaction_id if settlement else "",
        },
    )
    post(session, book=book_of(session, pledge.neighbourhood_id), entry=entry, now=now)
