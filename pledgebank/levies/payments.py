"""Collecting a charge from the household's saved card off-session, and applying what Stripe says.

Attempts are numbered: the next is attempts + 1, and its number is in its Stripe key, so each is made once
however many runners reach it. Each call to Stripe sits between an attempt row committed before it and a
unit of work that stores its outcome. A decline schedules the next attempt (the levy's retry days after the
charge fell due) and emails the household a link to pay now; after the last attempt the charge is in arrears.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.levies.charges import charge_key, get_charge, own_charge, settle
from pledgebank.levies.consents import standing_consent
from pledgebank.levies.models import Household, LevyCharge
from pledgebank.levies.services import about, active_consent, tell_household
from pledgebank.levies.states import (
    UNPAID,
    ChargeAction,
    ChargeStatus,
    can_charge,
    next_attempt_offset,
    next_charge_status,
    parse_retry_days,
)
from pledgebank.payments import card_charges, card_saving
from pledgebank.payments.attempts import finish_attempt, started_subject
from pledgebank.payments.card_charges import AUTHENTICATION_CODES, CardCharge
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import Payment, PaymentStatus
from pledgebank.payments.models import PaymentCustomer
from pledgebank.payments.payable import WaitingPayment
from pledgebank.text import _t

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Charge:
    """What collecting a charge needs to know, read in a short transaction of its own."""

    id: int
    levy_id: int
    status: ChargeStatus
    amount_due: int
    currency: str
    attempts: int
    paused: bool
    payment_intent_id: str | None
    payment_method_id: str | None
    customer_id: str | None


def attempt_key(charge_id: int, attempt: int) -> str:
    """The Stripe idempotency key (and attempt row key) of one numbered attempt to collect a charge."""
    return charge_key(charge_id, f"{attempt}:charge")


def _snapshot(ctx: Payments, charge_id: int, *, on_session: bool) -> _Charge:
    with unit_of_work(ctx.sessions) as session:
        charge = get_charge(session, charge_id)
        household = session.get_one(Household, charge.household_id)
        customer = session.get(PaymentCustomer, household.payer_id) if household.payer_id else None
        # Only a card the household has authorised for this charge's levy ever pays it; off-session, only
        # a charge raised since the consent was given.
        if on_session:
            consent = active_consent(session, levy_id=charge.levy_id, household=household)
        else:
            consent = standing_consent(session, charge, household)
        return _Charge(
            charge.id,
            charge.levy_id,
            charge.status,
            charge.amount_due,
            charge.currency,
            charge.attempts,
            charge.paused,
            charge.payment_intent_id,
            consent.payment_method_id if consent is not None else None,
            customer.customer_id if customer else None,
        )


def collect(
    ctx: Payments, charge_id: int, *, now: datetime, notify: bool = True, on_session: bool = False
) -> ChargeStatus | None:
    """Make the next attempt to take the amount due from the household's card, if it is authorised for the
    charge's levy.

    None when there was nothing to do: no card (or none authorised for this levy), paused, paid, or another
    runner has this attempt. With `notify`, a decline is emailed to the household. `on_session`: the resident
    has just confirmed this charge (the pay page, a confirmed list); otherwise (run-due) the charge must have
    been raised since the consent was given.
    """
    charge = _snapshot(ctx, charge_id, on_session=on_session)
    customer_id, method = charge.customer_id, charge.payment_method_id
    if charge.status not in UNPAID or charge.paused or not method or customer_id is None:
        return None
    attempt = charge.attempts + 1
    key = attempt_key(charge.id, attempt)
    previous = charge.payment_intent_id

    def cancel_previous() -> Payment | None:
        if not previous:
            return None
        # One live payment per charge: an earlier one waiting for the bank's check could still be paid.
        payment = ctx.gateway.cancel(payment_intent_id=previous, idempotency_key=f"{key}:cancel-previous")
        return payment if payment.status == PaymentStatus.SUCCEEDED else None

    card_charge = CardCharge(
        key=key,
        subject=f"levy-charge:{charge.id}",
        customer_id=customer_id,
        payment_method_id=method,
        amount=charge.amount_due,
        currency=charge.currency,
        metadata={"attempt": key, "levy": str(charge.levy_id), "levy_charge": str(charge.id)},
    )
    payment = card_charges.take(
        ctx,
        card_charge,
        now=now,
        guard=lambda session: _collectable(get_charge(session, charge.id, lock=True)),
        before=cancel_previous,
    )
    if payment is None:
        return None
    return apply_payment(ctx, charge.id, payment, now=now, attempt=attempt, attempt_key=key, notify=notify)


def _collectable(charge: LevyCharge) -> bool:
    """Still owed and not paused, checked under the charge's row lock as the attempt is recorded: cash
    recorded or a waiver decided (which take the same lock and refuse while an attempt is started) cannot
    slip in between the check and the call to Stripe."""
    return charge.status in UNPAID and not charge.paused


def apply_payment(
    ctx: Payments,
    charge_id: int,
    payment: Payment,
    *,
    now: datetime,
    attempt: int | None = None,
    attempt_key: str | None = None,
    notify: bool = True,
    also: Callable[[Session], None] | None = None,
) -> ChargeStatus:
    """Bring the charge in line with a payment; only ever forward.

    Money taken always pays an unpaid charge. A failure counts only as the outcome of its own numbered
    attempt, once. A webhook or a page reading the payment again passes no attempt: if the payment was made
    by an attempt still started (run-due has not booked it yet, or died before it could), this is that
    attempt's outcome, booked and finished here; otherwise a failure changes nothing.
    """
    settlement = None
    if payment.status == PaymentStatus.SUCCEEDED and payment.charge_id:
        settlement = ctx.gateway.settlement(payment.charge_id)
    with unit_of_work(ctx.sessions) as session:
        if also is not None:
            also(session)
        charge = get_charge(session, charge_id, lock=True)
        if attempt is None:
            attempt, attempt_key = _made_by(session, charge.id, payment)
        if attempt_key is not None:
            finish_attempt(
                session,
                key=attempt_key,
                stripe_id=payment.payment_intent_id or None,
                outcome=payment.status.value,
                now=now,
            )
        if attempt is not None and attempt > charge.attempts:
            charge.attempts = attempt
            if payment.payment_intent_id:
                charge.payment_intent_id = payment.payment_intent_id
            if payment.status != PaymentStatus.SUCCEEDED and charge.status in UNPAID:
                _failed(session, charge, payment, now, notify)
                return charge.status
        paid_by_this = charge.paid_via == "card" and charge.payment_intent_id == payment.payment_intent_id
        if (
            payment.status == PaymentStatus.SUCCEEDED
            and not can_charge(charge.status, ChargeAction.PAY)
            and not paid_by_this
        ):
            log.error(
                "money taken for levy charge %s (%s) that was already settled: refund it",
                charge.id,
                payment.payment_intent_id,
            )
        if payment.status == PaymentStatus.SUCCEEDED and can_charge(charge.status, ChargeAction.PAY):
            charge.payment_intent_id, charge.decline_code = payment.payment_intent_id, None
            settle(
                session,
                charge,
                via="card",
                now=now,
                zone=ctx.zone,
                gross=settlement.amount if settlement else payment.amount,
                fee=settlement.fee if settlement else 0,
                payment_intent=payment.payment_intent_id,
                stripe_charge=payment.charge_id or "",
                balance_transaction=settlement.balance_transaction_id if settlement else "",
            )
        return charge.status


def _made_by(session: Session, charge_id: int, payment: Payment) -> tuple[int | None, str | None]:
    """The numbered attempt on this charge that made the payment, while it is still started."""
    key = (payment.metadata or {}).get("attempt", "")
    number = key.removeprefix(charge_key(charge_id, "")).partition(":")[0]
    if not number.isdigit() or key != attempt_key(charge_id, int(number)):
        return None, None
    if started_subject(session, key) != f"levy-charge:{charge_id}":
        return None, None
    return int(number), key


def _failed(session: Session, charge: LevyCharge, payment: Payment, now: datetime, notify: bool) -> None:
    charge.decline_code = payment.decline_code or payment.status.value
    charge.updated_at = now
    if charge.status == ChargeStatus.ARREARS:
        return  # another try at an old debt: it stays in arrears, with no new schedule
    levy = charge.levy
    offset = next_attempt_offset(charge.attempts, parse_retry_days(levy.retry_days))
    if offset is None:
        give_up(session, charge, now=now)
        return
    charge.status = next_charge_status(charge.status, ChargeAction.DECLINE)
    charge.next_attempt_at = charge.due_at + timedelta(days=offset)
    if notify:
        authenticate = charge.decline_code in AUTHENTICATION_CODES
        tell_household(
            session,
            charge.household_id,
            _t("Confirm your payment: %(levy)s", levy=levy.name)
            if authenticate
            else _t("Payment declined: %(levy)s", levy=levy.name),
            "levies/authenticate" if authenticate else "levies/declined",
            {
                **about(levy),
                "charge_id": charge.id,
                "amount": charge.amount_due,
                "retry_at": charge.next_attempt_at,
            },
        )


def give_up(session: Session, charge: LevyCharge, *, now: datetime) -> None:
    """The last attempt (or reminder) has passed: the charge is in arrears, and the household is told."""
    levy = charge.levy
    charge.status = next_charge_status(charge.status, ChargeAction.GIVE_UP)
    charge.arrears_at, charge.next_attempt_at, charge.updated_at = now, None, now
    tell_household(
        session,
        charge.household_id,
        _t("In arrears: %(levy)s", levy=levy.name),
        "levies/arrears",
        {
            **about(levy),
            "charge_id": charge.id,
            "amount": charge.amount_due,
            "period_start": charge.period_start,
        },
    )


def pay_now(ctx: Payments, *, charge_id: int, user_id: int, now: datetime) -> ChargeStatus:
    """A resident pays a charge with the household's saved card now (the next attempt, made on-session)."""
    with unit_of_work(ctx.sessions) as session:
        charge = own_charge(session, charge_id, user_id)
        if charge.status not in UNPAID:
            raise Conflict("This charge is not waiting for payment.")
        if charge.paused:
            raise Conflict("Your hardship request is with the committee; nothing is taken until they decide.")
    outcome = collect(ctx, charge_id, now=now, notify=False, on_session=True)
    if outcome is None:
        raise Conflict(
            "Save a card for this levy first (or agree that your household's card pays it), or wait a minute "
            "for a payment going through."
        )
    return outcome


@dataclass(frozen=True, slots=True)
class ChargePayment:
    """One charge as the card flow's payable (`payments/payable.py`); `user_id`: the resident paying it."""

    charge_id: int
    user_id: int

    def waiting_payment(self, session: Session) -> WaitingPayment:
        charge = own_charge(session, self.charge_id, self.user_id)
        intent, state, code = charge.payment_intent_id, charge.status, charge.decline_code
        if intent is None or state not in UNPAID or code not in AUTHENTICATION_CODES:
            raise Conflict("This charge has no payment waiting for the bank's check.")
        if charge.paused:
            raise Conflict(
                "A hardship request on this charge is waiting for the committee; pay once it is decided."
            )
        return WaitingPayment(intent, amount=charge.amount_due)

    def apply_payment(self, ctx: Payments, payment: Payment, now: datetime) -> ChargeStatus:
        return apply_payment(ctx, self.charge_id, payment, now=now)


def authenticate_payment(
    ctx: Payments, *, charge_id: int, user_id: int, succeed: bool, now: datetime
) -> PaymentStatus:
    """Test mode (emulator): pass or fail the bank's check that a charge's payment asked for."""
    return card_saving.authenticate_payment(ctx, ChargePayment(charge_id, user_id), succeed=succeed, now=now)


def refresh_payment(
    ctx: Payments,
    *,
    charge_id: int,
    payment_intent_id: str,
    now: datetime,
    also: Callable[[Session], None] | None = None,
) -> ChargeStatus:
    """Read one of the charge's payments again (after a webhook) and apply it: money taken pays the charge."""
    return apply_payment(ctx, charge_id, ctx.gateway.payment(payment_intent_id), now=now, also=also)
