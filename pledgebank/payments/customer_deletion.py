"""Deleting at Stripe the customers of people whose accounts were closed (or pseudonymised by retention).

A Stripe customer holds the person's email address and saved cards. Erasure records each deletion as a
pending attempt in its own transaction (`customers.forget_customers`); after that commits, the deletion is
made at once, and whatever is left (Stripe unreachable, a process that died mid-call) is made by run-due.
Each deletion is claimed under its attempt row before the call, so two workers never make it together, and
a finished one is never made again. A customer Stripe no longer has counts as deleted.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from pledgebank import metrics
from pledgebank.db import unit_of_work
from pledgebank.payments.attempts import finish_attempt
from pledgebank.payments.context import Payments
from pledgebank.payments.customers import DELETE_KEY_PREFIX, DELETE_OPERATION, deletion_subject
from pledgebank.payments.gateway import GatewayUnavailable, PaymentRefused
from pledgebank.payments.models import AttemptStatus, PaymentAttempt

log = logging.getLogger(__name__)


def _waiting(ctx: Payments, *, now: datetime, user_id: int | None, limit: int) -> list[str]:
    """Keys of deletions to make: pending, or started by a worker whose lease ran out."""
    query = select(PaymentAttempt.key).where(
        PaymentAttempt.operation == DELETE_OPERATION,
        or_(
            PaymentAttempt.status == AttemptStatus.PENDING.value,
            and_(
                PaymentAttempt.status == AttemptStatus.STARTED.value,
                PaymentAttempt.started_at <= now - ctx.lease,
            ),
        ),
    )
    if user_id is not None:
        query = query.where(PaymentAttempt.subject == deletion_subject(user_id))
    with unit_of_work(ctx.sessions) as session:
        return list(session.scalars(query.order_by(PaymentAttempt.id).limit(limit)))


def _claim(ctx: Payments, key: str, now: datetime) -> bool:
    """Take the deletion for this worker: False if it is finished or another worker's lease is live."""
    with unit_of_work(ctx.sessions) as session:
        attempt = session.scalar(select(PaymentAttempt).where(PaymentAttempt.key == key).with_for_update())
        if attempt is None or attempt.status == AttemptStatus.FINISHED.value:
            return False
        if attempt.status == AttemptStatus.STARTED.value and attempt.started_at > now - ctx.lease:
            return False
        attempt.status = AttemptStatus.STARTED
        attempt.started_at = now
        return True


def _put_back(sessions: sessionmaker[Session], key: str, now: datetime) -> None:
    """Stripe could not be reached: the deletion is pending again, for the next run."""
    with unit_of_work(sessions) as session:
        attempt = session.scalar(select(PaymentAttempt).where(PaymentAttempt.key == key).with_for_update())
        if (
            attempt is not None
            and attempt.status == AttemptStatus.STARTED.value
            and attempt.started_at == now
        ):
            attempt.status = AttemptStatus.PENDING


def delete_customers(
    ctx: Payments, *, now: datetime, user_id: int | None = None, limit: int = 100
) -> Counter[str]:
    """Make the deletions waiting (only one person's, with `user_id`); count what was done and left.

    Never raises for Stripe's sake: an unreachable Stripe leaves the rest pending for the next run.
    """
    done: Counter[str] = Counter()
    for key in _waiting(ctx, now=now, user_id=user_id, limit=limit):
        if not _claim(ctx, key, now):
            continue
        customer_id = key.removeprefix(DELETE_KEY_PREFIX)
        try:
            ctx.gateway.delete_customer(customer_id)
        except GatewayUnavailable:
            metrics.count_payment(DELETE_OPERATION, "unavailable")
            _put_back(ctx.sessions, key, now)
            done["customer deletions waiting for Stripe"] += 1
            break  # Stripe is away: the next run tries again
        except PaymentRefused:
            metrics.count_payment(DELETE_OPERATION, "refused")
            log.warning("Stripe refused to delete a customer of a closed account")
            outcome = "refused"
        else:
            metrics.count_payment(DELETE_OPERATION, "succeeded")
            outcome = "deleted"
        with unit_of_work(ctx.sessions) as session:
            finish_attempt(session, key=key, stripe_id=customer_id, outcome=outcome, now=now)
        done[f"Stripe customers {outcome}"] += 1
    return done
