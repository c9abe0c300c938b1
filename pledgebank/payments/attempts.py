"""Calls to Stripe bracketed by attempt rows, so a crash between Stripe and our commit is recoverable.

The attempt is committed before the call. Its outcome is stored in the same unit of work as the call's
effects (finish_attempt). An attempt left started by a dead process is picked up once its lease has run
out: `recover` looks for what the call did (by the key in the Stripe object's metadata) before calling again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.db import unit_of_work
from pledgebank.payments.models import AttemptStatus, PaymentAttempt

T = TypeVar("T")


def attempt_once(
    sessions: sessionmaker[Session],
    *,
    key: str,
    operation: str,
    subject: str,
    now: datetime,
    lease: timedelta,
    call: Callable[[], T],
    recover: Callable[[], T | None],
) -> T | None:
    """Make the call unless it was made before; return its outcome, or None when there is nothing to do.

    None means: finished already, or another worker holds a live lease on it.
    """
    try:
        with unit_of_work(sessions) as session:
            attempt = session.scalar(
                select(PaymentAttempt).where(PaymentAttempt.key == key).with_for_update()
            )
            if attempt is None:
                session.add(
                    PaymentAttempt(
                        key=key,
                        operation=operation,
                        subject=subject,
                        status=AttemptStatus.STARTED.value,
                        started_at=now,
                    )
                )
                fresh = True
            elif attempt.status == AttemptStatus.FINISHED.value or attempt.started_at > now - lease:
                return None
            else:
                # Left started by a process that died: take the lease over.
                attempt.started_at = now
                fresh = False
    except IntegrityError:
        return None  # another worker inserted the same attempt first
    if fresh:
        return call()
    found = recover()
    return found if found is not None else call()


def finish_attempt(session: Session, *, key: str, stripe_id: str | None, outcome: str, now: datetime) -> None:
    """Mark the attempt finished, in the unit of work that stores the call's effects."""
    attempt = session.scalar(select(PaymentAttempt).where(PaymentAttempt.key == key))
    if attempt is None:
        return
    attempt.status = AttemptStatus.FINISHED.value
    attempt.stripe_id = stripe_id
    attempt.outcome = outcome
    attempt.finished_at = now


def stale_attempts(
    session: Session, *, now: datetime, lease: timedelta, limit: int = 100
) -> list[PaymentAttempt]:
    """Attempts left started for longer than the lease (their process probably died)."""
    return list(
        session.scalars(
            select(PaymentAttempt)
            .where(
                PaymentAttempt.status == AttemptStatus.STARTED.value, PaymentAttempt.started_at <= now - lease
            )
            .order_by(PaymentAttempt.id)
            .limit(limit)
        )
    )
