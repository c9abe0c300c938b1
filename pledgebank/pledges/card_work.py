"""One pledger's card work (hold, late charge, capture, lapse, release) as a step of its own.

`run-due` does these one after another; on the task queue each is its own job, keyed by signup and step, so
several workers share one large collection and a step asked for twice is queued once. Each step claims its
Stripe call through its attempt row and idempotency key, so a job run again charges nobody twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pledgebank.payments.context import Payments
from pledgebank.pledges.payments import cancel, capture, place_hold
from pledgebank.pledges.states import SignupAction, SignupStatus

# (the step, the signup, the pledge) -> queue it
Defer = Callable[[str, int, int], None]
Step = Callable[[Payments, int, datetime], SignupStatus | None]

STEPS: dict[str, Step] = {
    "hold": lambda ctx, signup_id, now: place_hold(ctx, signup_id, now=now),
    "charge": lambda ctx, signup_id, now: place_hold(ctx, signup_id, now=now, charge_now=True),
    "capture": lambda ctx, signup_id, now: capture(ctx, signup_id, now=now),
    "lapse": lambda ctx, signup_id, now: cancel(ctx, signup_id, now=now, then=SignupAction.LAPSE),
    "release": lambda ctx, signup_id, now: cancel(ctx, signup_id, now=now, then=SignupAction.RELEASE),
}


def job_key(step: str, signup_id: int, pledge_id: int) -> str:
    """The queue key of one step for one signup (the pledge first, to find a pledge's waiting steps)."""
    return f"pledge:{pledge_id}:{step}:{signup_id}"


def do_step(ctx: Payments, step: str, signup_id: int, *, now: datetime) -> SignupStatus | None:
    """Run one step now; GatewayUnavailable propagates (the queue retries the job later)."""
    return STEPS[step](ctx, signup_id, now)
