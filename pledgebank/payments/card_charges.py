"""Money movements of any payable's saved card: an off-session charge or hold, a capture, a release.

Each call to Stripe sits between an attempt row committed before it (`attempts.attempt_once`, under the
attempt's key, which is also Stripe's idempotency key) and the payable's own unit of work that stores its
outcome. So each is made once however many runners reach it, and a runner that died after Stripe answered
is recovered from Stripe instead of paying twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.payments.attempts import attempt_once
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import Payment, PaymentStatus

Guard = Callable[[Session], bool]
# The decline codes of a payment that waits for the cardholder to pass the bank's check (3-D Secure).
AUTHENTICATION_CODES = frozenset({"authentication_required", PaymentStatus.NEEDS_AUTHENTICATION.value})


@dataclass(frozen=True, slots=True)
class CardCharge:
    """One off-session payment from a saved card: whose, how much, and the key that makes it happen once."""

    key: str  # the attempt row's key and Stripe's idempotency key
    subject: str  # the attempt row's subject, e.g. "signup:7"
    customer_id: str
    payment_method_id: str
    amount: int
    currency: str
    metadata: dict[str, str]


def take(
    ctx: Payments,
    charge: CardCharge,
    *,
    now: datetime,
    guard: Guard,
    hold: bool = False,
    before: Callable[[], Payment | None] | None = None,
) -> Payment | None:
    """Charge (or, with `hold`, only reserve) the amount off-session, once; None when there was nothing to
    do. `before` runs first inside the same attempt and may answer instead (a payment that went through)."""
    method = ctx.gateway.hold if hold else ctx.gateway.charge

    def call() -> Payment:
        earlier = before() if before is not None else None
        if earlier is not None:
            return earlier
        return method(
            customer_id=charge.customer_id,
            payment_method_id=charge.payment_method_id,
            amount=charge.amount,
            currency=charge.currency,
            metadata=charge.metadata,
            idempotency_key=charge.key,
        )

    return attempt_once(
        ctx.sessions,
        key=charge.key,
        operation="hold" if hold else "charge",
        subject=charge.subject,
        now=now,
        lease=ctx.lease,
        call=call,
        recover=lambda: ctx.gateway.find_payment(customer_id=charge.customer_id, attempt_key=charge.key),
        guard=guard,
    )


def capture(
    ctx: Payments, *, key: str, subject: str, payment_intent_id: str, now: datetime, guard: Guard
) -> Payment | None:
    """Take the money of a held payment, once."""
    return _settle(
        ctx,
        "capture",
        key=key,
        subject=subject,
        payment_intent_id=payment_intent_id,
        now=now,
        guard=guard,
        done=lambda payment: payment.status != PaymentStatus.AUTHORISED,
    )


def release(
    ctx: Payments, *, key: str, subject: str, payment_intent_id: str, now: datetime
) -> Payment | None:
    """Release a hold (or a payment waiting for the bank's check), once."""
    return _settle(
        ctx,
        "cancel",
        key=key,
        subject=subject,
        payment_intent_id=payment_intent_id,
        now=now,
        done=lambda payment: payment.status == PaymentStatus.CANCELED,
    )


def _settle(
    ctx: Payments,
    operation: str,
    *,
    key: str,
    subject: str,
    payment_intent_id: str,
    now: datetime,
    done: Callable[[Payment], bool],
    guard: Guard | None = None,
) -> Payment | None:
    """Capture or cancel a payment through its attempt row; a runner that died after Stripe answered is
    recovered from the payment itself, when `done` says it has been."""
    method = ctx.gateway.capture if operation == "capture" else ctx.gateway.cancel

    def recover() -> Payment | None:
        payment = ctx.gateway.payment(payment_intent_id)
        return payment if done(payment) else None

    return attempt_once(
        ctx.sessions,
        key=key,
        operation=operation,
        subject=subject,
        now=now,
        lease=ctx.lease,
        call=lambda: method(payment_intent_id=payment_intent_id, idempotency_key=key),
        recover=recover,
        guard=guard,
    )
