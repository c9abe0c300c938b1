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

from pledgebank import metrics
from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import GatewayUnavailable, PaymentRefused
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
    guard: Callable[[Session], bool] | None = None,
) -> T | None:
    """Make the call unless it was made before; return its outcome, or None when there is nothing to do.

    None means: finished already, another worker holds a live lease on it, or `guard` said no. The guard
    runs in the transaction that records the attempt, so it can lock the subject's row and check its state
    there: anything that changes that state (cash recorded, a pledge released) takes the same lock and sees
    the attempt, instead of slipping in between the check and the call.
    """
    try:
        with unit_of_work(sessions) as session:
            if guard is not None and not guard(session):
                return None
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
    return _counted(operation, call if fresh else lambda: _recovered_or_called(recover, call))


def _recovered_or_called(recover: Callable[[], T | None], call: Callable[[], T]) -> T:
    found = recover()
    return found if found is not None else call()


def _counted(operation: str, call: Callable[[], T]) -> T:
    """Make the call, counting its outcome (an exception is counted by its kind, then raised again)."""
    try:
        result = call()
    except GatewayUnavailable:
        metrics.count_payment(operation, "unavailable")
        raise
    except PaymentRefused:
        metrics.count_payment(operation, "refused")
        raise
    except Exception:
        metrics.count_payment(operation, "error")
        raise
    metrics.count_payment(operation, metrics.payment_outcome(result))
    return result


def finish_attempt(session: Session, *, key: str, stripe_id: str | None, outcome: str, now: datetime) -> bool:
    """Mark the attempt finished, in the unit of work that stores the call's effects; False if it was not
    started (no such attempt, or another path booked its outcome first and finished it)."""
    attempt = session.scalar(select(PaymentAttempt).where(PaymentAttempt.key == key))
    if attempt is None or attempt.status != AttemptStatus.STARTED.value:
        return False
    attempt.status = AttemptStatus.FINISHED
    attempt.stripe_id = stripe_id
    attempt.outcome = outcome
    attempt.finished_at = now
    return True


def attempt_started(sessions: sessionmaker[Session], key: str) -> bool:
    """Whether an attempt with this key was started and its outcome is not booked yet."""
    with unit_of_work(sessions) as session:
        return started_subject(session, key) is not None


def started_subject(session: Session, key: str) -> str | None:
    """The subject of the attempt with this key while it is started (e.g. "signup:12"); None otherwise."""
    return session.scalar(
        select(PaymentAttempt.subject).where(
            PaymentAttempt.key == key, PaymentAttempt.status == AttemptStatus.STARTED.value
        )
    )


def stale_attempts(
    session: Session,
    *,
    now: datetime,
    lease: timedelta,
    operations: tuple[str, ...],
    subject_prefix: str,
    limit: int = 100,
) -> list[PaymentAttempt]:
    """Attempts of these operations on these subjects left started for longer than the lease (their
    process probably died), oldest first."""
    return list(
        session.scalars(
            select(PaymentAttempt)
            .where(
                PaymentAttempt.status == AttemptStatus.STARTED.value,
                PaymentAttempt.started_at <= now - lease,
                PaymentAttempt.operation.in_(operations),
                PaymentAttempt.subject.startswith(subject_prefix, autoescape=True),
            )
            .order_by(PaymentAttempt.id)
            .limit(limit)
        )
    )
