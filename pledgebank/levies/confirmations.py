"""Nothing is taken at once without the payer's say-so: what the household's card would pay now (arrears,
charges falling due before the card was saved) is listed by levy and period with a total, and taken only
when a resident confirms that list.

The confirmation's key is made from the household and the charges, amounts and attempts listed. The same
list confirmed twice (a double press, a second tab, two requests at once) finds the first confirmation under
the household's row lock, and the key's unique constraint backs that up, so the money is taken once. A list
that has changed since it was shown is refused, and nothing is taken.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.levies.consents import consented_levies
from pledgebank.levies.models import ChargeConfirmation, Household, Levy, LevyCharge
from pledgebank.levies.payments import collect
from pledgebank.levies.services import lock_household
from pledgebank.levies.states import UNPAID, ChargeStatus
from pledgebank.payments.context import Payments

ONE_DAY = timedelta(days=1)
CHANGED = "The charges changed after this list was shown, so nothing was taken. Look at the new list."


@dataclass(frozen=True, slots=True)
class Listed:
    """One charge the card would pay now."""

    charge_id: int
    levy_id: int
    levy_name: str
    period_start: date
    last_day: date  # the period's last day (its end is the next period's start)
    amount: int
    currency: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Listing:
    """What would be taken now, its total and the key a confirmation of exactly this list carries."""

    household_id: int
    charges: list[Listed]
    total: int
    currency: str
    key: str


@dataclass(frozen=True, slots=True)
class Taken:
    """The outcome of a confirmation: how many charges were paid, and how many did not go through."""

    again: bool  # this list had been confirmed already: nothing more was tried
    paid: int
    not_paid: int


def owed_now(session: Session, household: Household) -> Listing:
    """The household's unpaid charges its card may pay (consented levies only), by levy and period."""
    levies = consented_levies(session, household)
    rows = session.execute(
        select(LevyCharge, Levy.name)
        .join(Levy, Levy.id == LevyCharge.levy_id)
        .where(
            LevyCharge.household_id == household.id,
            LevyCharge.levy_id.in_(levies),
            LevyCharge.status.in_([s.value for s in UNPAID]),
            LevyCharge.paused.is_(False),
        )
        .order_by(Levy.name, LevyCharge.levy_id, LevyCharge.period_start, LevyCharge.id)
    ).all()
    charges = [
        Listed(
            c.id,
            c.levy_id,
            name,
            c.period_start,
            c.period_end - ONE_DAY,
            c.amount_due,
            c.currency,
            c.attempts,
        )
        for c, name in rows
        if c.amount_due > 0
    ]
    total = sum(c.amount for c in charges)
    currency = charges[0].currency if charges else ""
    return Listing(household.id, charges, total, currency, listing_key(household.id, charges))


def listing_key(household_id: int, charges: list[Listed]) -> str:
    """The key of a list of charges: the same charges, amounts and attempts give the same key."""
    text = f"household:{household_id}|" + ";".join(f"{c.charge_id}:{c.amount}:{c.attempts}" for c in charges)
    return hashlib.sha256(text.encode()).hexdigest()


def confirm(
    session: Session, *, household_id: int, user_id: int, key: str, now: datetime
) -> list[int] | None:
    """Record the confirmation of the listed charges; their ids, or None when this list was confirmed
    already. Conflict when the list has changed since it was shown (or there is nothing to take)."""
    household = lock_household(session, household_id)
    if session.scalar(select(ChargeConfirmation.id).where(ChargeConfirmation.key == key)) is not None:
        return None
    listing = owed_now(session, household)
    if not listing.charges or listing.key != key:
        raise Conflict(CHANGED)
    try:
        with session.begin_nested():
            session.add(
                ChargeConfirmation(
                    key=key,
                    household_id=household.id,
                    user_id=user_id,
                    charge_ids=",".join(str(c.charge_id) for c in listing.charges),
                    total=listing.total,
                    currency=listing.currency,
                    confirmed_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return None  # confirmed at the same moment elsewhere
    return [c.charge_id for c in listing.charges]


def take_confirmed(ctx: Payments, *, household_id: int, user_id: int, key: str, now: datetime) -> Taken:
    """Confirm the listed charges and take each from the household's card, on-session."""
    with unit_of_work(ctx.sessions) as session:
        charge_ids = confirm(session, household_id=household_id, user_id=user_id, key=key, now=now)
    if charge_ids is None:
        return Taken(again=True, paid=0, not_paid=0)
    paid = not_paid = 0
    for charge_id in charge_ids:
        outcome = collect(ctx, charge_id, now=now, notify=False, on_session=True)
        if outcome == ChargeStatus.PAID:
            paid += 1
        else:
            not_paid += 1
    return Taken(again=False, paid=paid, not_paid=not_paid)
