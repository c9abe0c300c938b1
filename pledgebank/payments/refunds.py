"""Refunding a card payment through Stripe, and bringing the books up to date with a payment's refunds and
disputes however they were made (here, or in Stripe's dashboard).

A refund is a money call like any other: its attempt row is committed before Stripe is asked, and the refund
is posted in the same unit of work that finishes the attempt. If the process dies or Stripe cannot be
reached in between, `run-due` finds the attempt once its lease has run out, looks for the refund at Stripe
by the attempt key in its metadata, and posts it, or asks again: never half a refund.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.payments.attempts import attempt_once, finish_attempt, stale_attempts
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import GatewayUnavailable, PaymentRefused, Refund
from pledgebank.payments.models import AttemptStatus, PaymentAttempt
from pledgebank.payments.refund_books import CardPayment, card_payment, post_dispute_movement, post_refund
from pledgebank.policy import Action, require
from pledgebank.text import _t

OPERATION = "refund"
REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
# The reasons Stripe records for a refund (optional).
REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def _subject(payment_intent_id: str) -> str:
    return f"refund:{payment_intent_id}"


def refundable(session: Session, payment_intent_id: str) -> CardPayment:
    """The card payment of a PaymentIntent; NotFound when no book received it."""
    payment = card_payment(session, payment_intent_id)
    if payment is None:
        raise NotFound(_t("There is no card payment with that reference in the books."))
    return payment


def _in_flight(session: Session, payment_intent_id: str) -> bool:
    return (
        session.scalar(
            select(PaymentAttempt.id).where(
                PaymentAttempt.subject == _subject(payment_intent_id),
                PaymentAttempt.status == AttemptStatus.STARTED.value,
            )
        )
        is not None
    )


def _shown(amount: int, currency: str) -> str:
    return f"{money_words.plain(amount, currency)} {currency}"


def check_refund(session: Session, payment: CardPayment, amount: object) -> int:
    """The amount to refund, or InvalidInput naming `amount` when it is not a whole, positive number of
    minor units no larger than what is left of the payment."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidInput.field("amount", _t("Enter an amount above zero."))
    if amount > payment.left:
        raise InvalidInput.field(
            "amount",
            _t(
                "That is more than is left of this payment to refund: %(left)s.",
                left=_shown(payment.left, payment.currency),
            ),
        )
    return amount


def made_by(session: Session, payment_intent_id: str, request_key: str) -> PaymentAttempt | None:
    """The refund attempt a request key started for a payment, if any."""
    found = select(PaymentAttempt).where(
        PaymentAttempt.key.startswith(f"refund:{payment_intent_id}:{request_key}:", autoescape=True)
    )
    return session.scalar(found.limit(1))


def refund_payment(
    ctx: Payments,
    *,
    actor_id: int,
    payment_intent_id: str,
    amount: object,
    request_key: str,
    now: datetime,
    reason: str | None = None,
    neighbourhood_id: int | None = None,
    key_field: str = "amount",
) -> Refund | None:
    """Refund part or all of a card payment to the card; None if this request's refund was made already.

    `request_key` names one filling-in of the refund form: the same form sent again, even after its refund
    was booked (a retry after a timeout), is the same refund, never a second one. `amount` None is what is
    left of the payment; `reason` one of Stripe's REASONS, or None. With `neighbourhood_id`, a payment
    another neighbourhood received is NotFound.
    """
    if not isinstance(request_key, str) or not REQUEST_KEY.fullmatch(request_key):
        raise InvalidInput.field(
            key_field, _t("This form has expired: reload the page and fill it in again.")
        )
    if reason is not None and reason not in REASONS:
        raise InvalidInput.field(
            "reason", _t("Choose one of %(reasons)s, or none.", reasons=", ".join(REASONS))
        )
    with unit_of_work(ctx.sessions) as session:
        payment = refundable(session, payment_intent_id)
        if neighbourhood_id is not None and payment.book.neighbourhood_id != neighbourhood_id:
            raise NotFound(_t("There is no card payment with that reference in the books."))
        require(session, actor_id, payment.book.neighbourhood_id, Action.RECORD_PAYMENT)
        if made_by(session, payment_intent_id, request_key) is not None:
            return None
        if amount is None:
            amount = payment.left
        amount = check_refund(session, payment, amount)
        if _in_flight(session, payment_intent_id):
            raise Conflict(_t("A refund of this payment is going through; wait a minute and look again."))
    # refund:<PaymentIntent>:<request key>[:<reason>]:<amount>; run-due reads the reason and amount back.
    key = ":".join(["refund", payment_intent_id, request_key, *([reason] if reason else []), str(amount)])

    def guard(session: Session) -> bool:
        # Under the attempt's transaction: still that much left, and no other refund under way.
        current = refundable(session, payment_intent_id)
        return amount <= current.left and not _in_flight(session, payment_intent_id)

    def call() -> Refund:
        try:
            refund = ctx.gateway.refund(
                payment_intent_id=payment_intent_id,
                amount=amount,
                metadata={"attempt": key},
                idempotency_key=key,
                reason=reason,
            )
        except PaymentRefused as error:
            with unit_of_work(ctx.sessions) as session:
                finish_attempt(session, key=key, stripe_id=None, outcome="refused", now=now)
            message = "Stripe refused this refund; reload the page and look again."
            raise InvalidInput.field("amount", message) from error
        _book_refund(ctx, key, refund, now=now)
        return refund

    return attempt_once(
        ctx.sessions,
        key=key,
        operation=OPERATION,
        subject=_subject(payment_intent_id),
        now=now,
        lease=ctx.lease,
        call=call,
        recover=lambda: _recover(ctx, key, payment_intent_id, now=now),
        guard=guard,
    )


def _book_refund(ctx: Payments, key: str, refund: Refund, *, now: datetime) -> None:
    payment_intent_id = key.split(":")[1]  # the key is refund:<PaymentIntent>:<request key>:...
    with unit_of_work(ctx.sessions) as session:
        payment = refundable(session, payment_intent_id)
        post_refund(session, payment, refund, now=now, zone=ctx.zone)
        finish_attempt(session, key=key, stripe_id=refund.id, outcome=refund.status, now=now)


def _recover(ctx: Payments, key: str, payment_intent_id: str, *, now: datetime) -> Refund | None:
    for refund in ctx.gateway.refunds(payment_intent_id):
        if (refund.metadata or {}).get("attempt") == key:
            _book_refund(ctx, key, refund, now=now)
            return refund
    return None


def recover_refunds(ctx: Payments, *, now: datetime) -> Counter[str]:
    """Finish refunds whose process died (or whose Stripe call failed) once their lease has run out."""
    done: Counter[str] = Counter()
    with unit_of_work(ctx.sessions) as session:
        stale = [
            (a.key, a.subject)
            for a in stale_attempts(
                session, now=now, lease=ctx.lease, operations=(OPERATION,), subject_prefix="refund:"
            )
        ]
    for key, subject in stale:
        payment_intent_id = subject.removeprefix("refund:")
        _, _, rest = key.partition(f"refund:{payment_intent_id}:")
        parts = rest.split(":")  # request key, the reason if one was given, amount
        amount, reason = int(parts[-1]), (parts[1] if len(parts) == 3 else None)

        def call(
            key: str = key, pi: str = payment_intent_id, amount: int = amount, reason: str | None = reason
        ) -> Refund:
            refund = ctx.gateway.refund(
                payment_intent_id=pi,
                amount=amount,
                metadata={"attempt": key},
                idempotency_key=key,
                reason=reason,
            )
            _book_refund(ctx, key, refund, now=now)
            return refund

        try:
            outcome = attempt_once(
                ctx.sessions,
                key=key,
                operation=OPERATION,
                subject=subject,
                now=now,
                lease=ctx.lease,
                call=call,
                recover=partial(_recover, ctx, key, payment_intent_id, now=now),
            )
        except GatewayUnavailable:
            done["refunds waiting for Stripe"] += 1
            break  # Stripe is away: the next run tries again
        except PaymentRefused:
            # Stripe will not make it as it stands (the payment was disputed or refunded meanwhile).
            with unit_of_work(ctx.sessions) as session:
                finish_attempt(session, key=key, stripe_id=None, outcome="refused", now=now)
            done["refunds refused by Stripe"] += 1
            continue
        if outcome is not None:
            done["refunds recovered"] += 1
    return done


def sync_payment(
    ctx: Payments,
    payment_intent_id: str,
    *,
    now: datetime,
    also: Callable[[Session, bool], None] | None = None,
) -> int | None:
    """Post every refund and dispute movement Stripe has for a payment and the books lack; return how many
    (None when no book received the payment). `also(session, known)` runs in the same transaction.

    Refunds made by an attempt of ours finish that attempt, so `run-due` does not ask Stripe again.
    """
    refunds = ctx.gateway.refunds(payment_intent_id)
    found = ctx.gateway.disputes(payment_intent_id)
    with unit_of_work(ctx.sessions) as session:
        payment = card_payment(session, payment_intent_id)
        posted = 0
        if payment is not None:
            for refund in refunds:
                posted += post_refund(session, payment, refund, now=now, zone=ctx.zone)
                key = (refund.metadata or {}).get("attempt")
                if key and refund.status in ("succeeded", "failed"):
                    finish_attempt(session, key=key, stripe_id=refund.id, outcome=refund.status, now=now)
            for dispute in found:
                for movement in dispute.movements:
                    posted += post_dispute_movement(
                        session, payment, dispute, movement, now=now, zone=ctx.zone
                    )
        if also is not None:
            also(session, payment is not None)
    return posted if payment is not None else None
