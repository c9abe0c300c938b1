"""The levies' part of `run-due`: raise each period's charges, collect them, remind, and mark arrears.

Idempotent and safe to run twice at once: a levy's charges are raised under its row lock (another runner
holding it is skipped, and the one-charge-per-household-per-period constraint backs that up), each card
attempt is claimed through its numbered attempt row, and reminders are sent under the charge's row lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.levies.charges import raise_charges
from pledgebank.levies.consents import standing_consent
from pledgebank.levies.models import Household, Levy, LevyCardConsent, LevyCharge
from pledgebank.levies.payments import collect, give_up
from pledgebank.levies.recovery import recover_stale_attempts
from pledgebank.levies.services import about, tell_household
from pledgebank.levies.states import (
    SCHEDULED,
    ChargeStatus,
    LevyAction,
    LevyStatus,
    next_attempt_offset,
    next_levy_status,
    parse_retry_days,
)
from pledgebank.payments.context import Payments
from pledgebank.payments.gateway import GatewayUnavailable
from pledgebank.text import _t


def run_due(ctx: Payments, *, now: datetime, defer: Callable[[int], None] | None = None) -> Counter[str]:
    """Do every piece of levy work that is due; return what was done, by kind. With `defer`, each charge's
    card payment is queued as its own job (`collect_job`) instead of made here."""
    done: Counter[str] = Counter()
    done["levy charges raised"] += _raise(ctx, now)
    done["levies ended"] += _end(ctx, now)
    for charge_id, has_card in _due_charges(ctx, now):
        if has_card and defer is not None:
            defer(charge_id)
            done["levy card payments queued"] += 1
        elif has_card:
            try:
                outcome = collect(ctx, charge_id, now=now)
            except GatewayUnavailable:
                done["levy card payments postponed (Stripe unreachable)"] += 1
                continue  # its attempt is recovered once Stripe answers again
            done["levy charges paid by card"] += outcome == ChargeStatus.PAID
            done["levy card payments declined"] += outcome in (ChargeStatus.RETRYING, ChargeStatus.ARREARS)
        else:
            done[_remind(ctx, charge_id, now)] += 1
    try:
        done["levy card payments resolved"] += recover_stale_attempts(ctx, now=now)
    except GatewayUnavailable:
        done["levy card payments postponed (Stripe unreachable)"] += 1
    done.pop("", None)
    return +done


def collect_job(ctx: Payments, charge_id: int, *, now: datetime) -> ChargeStatus | None:
    """One charge's card payment, as its own job; GatewayUnavailable propagates (the job is retried)."""
    return collect(ctx, charge_id, now=now)


def _lock_levy(session: Session, levy_id: int) -> Levy | None:
    # SKIP LOCKED: when another runner is raising this levy's charges, leave them to it.
    return session.scalar(
        select(Levy)
        .where(Levy.id == levy_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def _raise(ctx: Payments, now: datetime) -> int:
    with unit_of_work(ctx.sessions) as session:
        ids = list(session.scalars(select(Levy.id).where(Levy.status == LevyStatus.ACTIVE.value)))
    raised = 0
    for levy_id in ids:
        with unit_of_work(ctx.sessions) as session:
            levy = _lock_levy(session, levy_id)
            if levy is not None:
                raised += raise_charges(session, levy, now=now, zone=ctx.zone)
    return raised


def _end(ctx: Payments, now: datetime) -> int:
    """Levies whose end has come: no more periods start, so they end (their unpaid charges stay)."""
    today = local_date(now, ctx.zone)
    with unit_of_work(ctx.sessions) as session:
        ids = list(
            session.scalars(
                select(Levy.id).where(
                    Levy.status.in_([LevyStatus.OPEN.value, LevyStatus.ACTIVE.value]), Levy.ends_on <= today
                )
            )
        )
    ended = 0
    for levy_id in ids:
        with unit_of_work(ctx.sessions) as session:
            levy = _lock_levy(session, levy_id)
            if levy is None or levy.status not in (LevyStatus.OPEN, LevyStatus.ACTIVE):
                continue
            raise_charges(session, levy, now=now, zone=ctx.zone)  # the last periods first
            levy.status = next_levy_status(levy.status, LevyAction.END)
            ended += 1
    return ended


def _due_charges(ctx: Payments, now: datetime) -> list[tuple[int, bool]]:
    """The charges due for an attempt, each with whether the household's card may take it off-session: a
    consent for its levy given by the time it was raised (otherwise the household is reminded instead)."""
    with unit_of_work(ctx.sessions) as session:
        consented = (
            select(LevyCardConsent.id)
            .where(
                LevyCardConsent.levy_id == LevyCharge.levy_id,
                LevyCardConsent.household_id == Household.id,
                LevyCardConsent.payment_method_id == Household.payment_method_id,
                LevyCardConsent.ended_at.is_(None),
                LevyCardConsent.given_at <= LevyCharge.created_at,
            )
            .exists()
        )
        rows = session.execute(
            select(LevyCharge.id, consented)
            .join(Household, Household.id == LevyCharge.household_id)
            .where(
                LevyCharge.status.in_([s.value for s in SCHEDULED]),
                LevyCharge.paused.is_(False),
                LevyCharge.next_attempt_at <= now,
            )
            .order_by(LevyCharge.next_attempt_at, LevyCharge.id)
        ).all()
    return [(charge_id, bool(has_card)) for charge_id, has_card in rows]


def _remind(ctx: Payments, charge_id: int, now: datetime) -> str:
    """A household with no card for this levy: tell it the charge is due, remind it on the retry days,
    then arrears."""
    with unit_of_work(ctx.sessions) as session:
        charge = session.scalar(
            select(LevyCharge)
            .where(LevyCharge.id == charge_id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        household = None if charge is None else session.get(Household, charge.household_id)
        if (
            charge is None
            or household is None
            or standing_consent(session, charge, household) is not None
            or charge.status not in SCHEDULED
            or charge.paused
            or charge.next_attempt_at is None
            or charge.next_attempt_at > now
        ):
            return ""
        levy = charge.levy
        retry_days = parse_retry_days(levy.retry_days)
        # One email however long run-due was away: skip to the latest reminder that has come round.
        passed = [
            n for n, days in enumerate((0, *retry_days), 1) if charge.due_at + timedelta(days=days) <= now
        ]
        charge.attempts = max(charge.attempts + 1, *passed)
        offset = next_attempt_offset(charge.attempts, retry_days)
        if offset is None:
            give_up(session, charge, now=now)
            return "levy charges in arrears"
        charge.next_attempt_at, charge.updated_at = charge.due_at + timedelta(days=offset), now
        first = charge.attempts == 1
        tell_household(
            session,
            household.id,
            _t("Due now: %(levy)s", levy=levy.name) if first else _t("Reminder: %(levy)s", levy=levy.name),
            "levies/due",
            {
                **about(levy),
                "charge_id": charge.id,
                "amount": charge.amount_due,
                "period_start": charge.period_start,
                "first": first,
            },
        )
        return "levy reminders sent"
