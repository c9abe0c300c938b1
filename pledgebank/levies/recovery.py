"""Card payments for levy charges whose outcome was never recorded (Stripe was unreachable, or the process
died after Stripe answered), once their lease has run out.

`collect` recovers its own attempt when it comes back to a charge, but it does not come back to a charge
that is paused, has lost its card, or is not due again for days; meanwhile the started attempt blocks cash
and hardship decisions. This sweep resolves every such attempt whatever the charge's state: a payment
Stripe made is applied as that attempt, and an attempt Stripe never saw is finished, so the charge's next
try takes the next number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.levies.charges import charge_key, get_charge
from pledgebank.levies.models import Household
from pledgebank.levies.payments import apply_payment, attempt_key
from pledgebank.payments.attempts import finish_attempt, stale_attempts
from pledgebank.payments.context import Payments
from pledgebank.payments.models import AttemptStatus, PaymentAttempt, PaymentCustomer

NEVER_REACHED = "never reached stripe"


@dataclass(frozen=True, slots=True)
class _Stale:
    key: str
    charge_id: int
    number: int
    started_at: datetime
    customer_id: str | None
    paused: bool


def _number(charge_id: int, key: str) -> int | None:
    number = key.removeprefix(charge_key(charge_id, "")).partition(":")[0]
    return int(number) if number.isdigit() and key == attempt_key(charge_id, int(number)) else None


def _stale(ctx: Payments, now: datetime) -> list[_Stale]:
    with unit_of_work(ctx.sessions) as session:
        found = []
        for attempt in stale_attempts(
            session, now=now, lease=ctx.lease, operations=("charge",), subject_prefix="levy-charge:"
        ):
            charge_id = attempt.subject.removeprefix("levy-charge:")
            number = _number(int(charge_id), attempt.key) if charge_id.isdigit() else None
            if number is None:
                continue
            charge = get_charge(session, int(charge_id))
            payer = session.get_one(Household, charge.household_id).payer_id
            customer = session.get(PaymentCustomer, payer) if payer else None
            found.append(
                _Stale(
                    attempt.key,
                    charge.id,
                    number,
                    attempt.started_at,
                    customer.customer_id if customer else None,
                    charge.paused,
                )
            )
        return found


def recover_stale_attempts(ctx: Payments, *, now: datetime) -> int:
    """Resolve card payments on levy charges left started past their lease; return how many."""
    resolved = 0
    for stale in _stale(ctx, now):
        payment = None
        if stale.customer_id:
            payment = ctx.gateway.find_payment(customer_id=stale.customer_id, attempt_key=stale.key)
        if payment is not None:
            # Money taken pays the charge, paused or not; a decline counts as this attempt's outcome.
            apply_payment(
                ctx,
                stale.charge_id,
                payment,
                now=now,
                attempt=stale.number,
                attempt_key=stale.key,
                notify=not stale.paused,
            )
            resolved += 1
        else:
            resolved += _never_reached(ctx, stale, now)
    return resolved


def _never_reached(ctx: Payments, stale: _Stale, now: datetime) -> int:
    with unit_of_work(ctx.sessions) as session:
        charge = get_charge(session, stale.charge_id, lock=True)
        attempt = session.scalar(
            select(PaymentAttempt).where(PaymentAttempt.key == stale.key).with_for_update()
        )
        if (
            attempt is None
            or attempt.status != AttemptStatus.STARTED.value
            or attempt.started_at != stale.started_at
        ):
            return 0  # finished meanwhile, or taken over by a runner making the call again
        finish_attempt(session, key=stale.key, stripe_id=None, outcome=NEVER_REACHED, now=now)
        # Its key is spent: the next try at this charge is made under the next number.
        charge.attempts = max(charge.attempts, stale.number)
        charge.updated_at = now
        return 1
