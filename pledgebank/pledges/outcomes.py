"""What a payment's state at Stripe means for a signup: applied under the signup's lock, only ever forward,
with its ledger transaction and the end of the attempt that made it, whichever path brings the news."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.services import book_of, post
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.payments.attempts import finish_attempt
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import Payment, PaymentStatus
from pledgebank.pledges.models import PledgeSignup
from pledgebank.pledges.services import tell
from pledgebank.pledges.signups import lock_signup
from pledgebank.pledges.states import (
    PledgeStatus,
    SignupAction,
    SignupStatus,
    can_signup,
    next_signup_status,
)
from pledgebank.text import _t


class _Keyed(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def round(self) -> int: ...


def signup_key(signup: _Keyed, step: str) -> str:
    """The idempotency key (Stripe's and the attempt row's) of one step of a signup's current round."""
    return f"pledge-signup:{signup.id}:{signup.round}:{step}"


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
        signup = lock_signup(session, signup_id)[1]
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
            return signup.status  # an old round's payment says nothing now (unless money moved)
        if signup.payment_intent_id is None and payment.payment_intent_id:
            signup.payment_intent_id = payment.payment_intent_id
        before = signup.status
        _advance(session, signup, payment, settlement, now, ctx.zone)
        if not stale and signup.status != before:
            _finish_answered(session, signup, before, payment, now)
        return signup.status


def _finish_answered(
    session: Session, signup: PledgeSignup, before: SignupStatus, payment: Payment, now: datetime
) -> None:
    """Finish the attempt whose outcome was just booked, whichever path booked it.

    A webhook (or a page reading the payment again) can book a hold, a charge or a capture before the
    run-due that made the call, or instead of one that died: its attempt must not stay started. A hold or
    charge is found by the attempt key in the PaymentIntent's metadata, a capture by the signup's own key.
    """
    if before == SignupStatus.HELD:
        key = signup_key(signup, "capture")
    else:
        key = (payment.metadata or {}).get("attempt", "")
        if not key.startswith(f"pledge-signup:{signup.id}:{signup.round}:"):
            return
    finish_attempt(
        session, key=key, stripe_id=payment.payment_intent_id, outcome=payment.status.value, now=now
    )


def _advance(
    session: Session, signup: PledgeSignup, payment: Payment, settlement, now: datetime, zone: str
) -> None:
    state = signup.status
    if payment.status == PaymentStatus.SUCCEEDED and can_signup(state, SignupAction.CAPTURE):
        signup.status = next_signup_status(state, SignupAction.CAPTURE)
        signup.updated_at = now
        _post_card_payment(session, signup, payment, settlement, now, zone)
        tell(session, signup, _t("Receipt: your pledge is paid"), "pledges/paid")
    elif payment.status == PaymentStatus.AUTHORISED and can_signup(state, SignupAction.HOLD):
        signup.status = next_signup_status(state, SignupAction.HOLD)
        signup.decline_code, signup.updated_at = None, now
    elif _hold_failed(signup, payment) and can_signup(state, SignupAction.HOLD_FAILED):
        signup.status = next_signup_status(state, SignupAction.HOLD_FAILED)
        signup.decline_code = payment.decline_code or payment.status.value
        signup.updated_at = now
        tell(
            session,
            signup,
            _t("Action needed on your pledge"),
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
    elif _capture_failed(signup, payment):
        # The pledge succeeded but this hold could not be taken (expired, or released at Stripe): nothing
        # was charged, so the pledge goes ahead without it; the pledger is told.
        signup.status = next_signup_status(state, SignupAction.LAPSE)
        signup.decline_code = payment.decline_code or payment.status.value
        signup.updated_at = now
        tell(session, signup, _t("Your payment could not be taken"), "pledges/lapsed")


def _capture_failed(signup: PledgeSignup, payment: Payment) -> bool:
    # Only a hold that is gone (released, expired, or sent back for another card) lapses; an error that
    # may pass (FAILED) leaves the signup held.
    return (
        signup.status == SignupStatus.HELD
        and signup.pledge.status == PledgeStatus.SUCCEEDED
        and payment.status in (PaymentStatus.CANCELED, PaymentStatus.DECLINED)
    )


def _hold_failed(signup: PledgeSignup, payment: Payment) -> bool:
    if payment.status in (PaymentStatus.NEEDS_AUTHENTICATION, PaymentStatus.DECLINED):
        return signup.status != SignupStatus.HELD
    # A hold released at Stripe during collection (dashboard, bank) holds no money now: ask for another card.
    return (
        payment.status == PaymentStatus.CANCELED
        and signup.status == SignupStatus.HELD
        and signup.pledge.status == PledgeStatus.COLLECTING
    )


def _post_card_payment(
    session: Session, signup: PledgeSignup, payment: Payment, settlement, now: datetime, zone: str
) -> None:
    pledge = signup.pledge
    fund = session.execute(select(Fund.slug).where(Fund.id == pledge.fund_id)).scalar_one()
    gross = settlement.amount if settlement else payment.amount
    fee = settlement.fee if settlement else 0
    entry = rules.card_payment_received(
        gross=Money(gross, pledge.currency),
        fee=Money(fee, pledge.currency),
        fund=fund,
        income_source="pledges",
        key=signup_key(signup, "paid"),
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
