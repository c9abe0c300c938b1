"""Read-only questions about levies: the treasurer's figures per levy and period, households, a resident's
own charges and receipts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.clock import local_date
from pledgebank.levies.bands import ARREARS_AGES, arrears_age
from pledgebank.levies.charges import charge_key
from pledgebank.levies.models import Household, HouseholdResident, Levy, LevyCharge, LevyHousehold
from pledgebank.levies.states import UNPAID, ChargeStatus


@dataclass
class Figures:
    """Money of a set of charges: raised = collected + waived + outstanding; arrears (part of outstanding)
    by how long ago they fell due."""

    charges: int = 0
    raised: int = 0
    collected: int = 0
    waived: int = 0
    outstanding: int = 0
    arrears: dict[str, int] = field(default_factory=lambda: {label: 0 for label, _, _ in ARREARS_AGES})

    def add(self, charge: LevyCharge, today: date, zone: str) -> None:
        """Count one charge in."""
        self.charges += 1
        self.raised += charge.amount
        self.waived += charge.waived_amount
        self.collected += charge.collected
        if charge.status in UNPAID:
            self.outstanding += charge.amount_due
        if charge.status == ChargeStatus.ARREARS:
            age = (today - local_date(charge.due_at, zone)).days
            self.arrears[arrears_age(max(age, 0))] += charge.amount_due


@dataclass
class LevyFigures:
    """A levy's figures per period (newest first) and in total."""

    levy: Levy
    periods: list[tuple[date, date, Figures]]
    total: Figures


def levy_figures(session: Session, *, neighbourhood_id: int, today: date, zone: str) -> list[LevyFigures]:
    """Collected, outstanding, waived and arrears by age, per levy and period, for the treasurer."""
    levies = session.scalars(
        select(Levy).where(Levy.neighbourhood_id == neighbourhood_id).order_by(Levy.id.desc())
    ).all()
    report = []
    for levy in levies:
        periods: dict[tuple[date, date], Figures] = defaultdict(Figures)
        total = Figures()
        for charge in session.scalars(select(LevyCharge).where(LevyCharge.levy_id == levy.id)):
            periods[(charge.period_start, charge.period_end)].add(charge, today, zone)
            total.add(charge, today, zone)
        rows = [(start, end, figures) for (start, end), figures in sorted(periods.items(), reverse=True)]
        report.append(LevyFigures(levy, rows, total))
    return report


def unpaid_charges(session: Session, *, neighbourhood_id: int) -> list[tuple[LevyCharge, str]]:
    """Charges waiting for money, oldest first, with the household's address (for recording cash)."""
    rows = session.execute(
        select(LevyCharge, Household.address)
        .join(Levy, Levy.id == LevyCharge.levy_id)
        .join(Household, Household.id == LevyCharge.household_id)
        .where(
            Levy.neighbourhood_id == neighbourhood_id,
            LevyCharge.status.in_([s.value for s in UNPAID]),
        )
        .order_by(LevyCharge.due_at, LevyCharge.id)
    ).all()
    return [(charge, address) for charge, address in rows]


@dataclass(frozen=True, slots=True)
class HouseholdLine:
    """A household in a levy, for the committee."""

    household: Household
    liability: LevyHousehold
    residents: int


def households_in(session: Session, levy_id: int) -> list[HouseholdLine]:
    """Every household that has joined the levy, by address."""
    residents = {
        household_id: count
        for household_id, count in session.execute(
            select(HouseholdResident.household_id, func.count()).group_by(HouseholdResident.household_id)
        )
    }
    rows = session.execute(
        select(Household, LevyHousehold)
        .join(LevyHousehold, LevyHousehold.household_id == Household.id)
        .where(LevyHousehold.levy_id == levy_id)
        .order_by(Household.address_key)
    ).all()
    return [
        HouseholdLine(household, liability, residents.get(household.id, 0)) for household, liability in rows
    ]


def charges_of(session: Session, household_id: int, *, levy_id: int | None = None) -> list[LevyCharge]:
    """A household's charges (of one levy, or all), newest period first."""
    statement = select(LevyCharge).where(LevyCharge.household_id == household_id)
    if levy_id is not None:
        statement = statement.where(LevyCharge.levy_id == levy_id)
    return list(session.scalars(statement.order_by(LevyCharge.period_start.desc(), LevyCharge.id.desc())))


def settlement_of(session: Session, charge: LevyCharge) -> LedgerTransaction | None:
    """The ledger transaction that settled a paid charge (its receipt's reference)."""
    # In the levy's own book: the key is unique per book, and (book, key) is how the index finds it.
    book_id = select(Book.id).where(Book.neighbourhood_id == charge.levy.neighbourhood_id).scalar_subquery()
    return session.scalar(
        select(LedgerTransaction).where(
            LedgerTransaction.book_id == book_id,
            LedgerTransaction.idempotency_key == charge_key(charge.id, "paid"),
        )
    )


def household_levies(
    session: Session, *, neighbourhood_id: int, user_id: int
) -> tuple[Household | None, list[Levy]]:
    """The user's household here and the levies it is still liable for (it stays liable if they leave)."""
    household = session.scalar(
        select(Household)
        .join(HouseholdResident, HouseholdResident.household_id == Household.id)
        .where(HouseholdResident.neighbourhood_id == neighbourhood_id, HouseholdResident.user_id == user_id)
    )
    if household is None:
        return None, []
    levies = session.scalars(
        select(Levy)
        .join(LevyHousehold, LevyHousehold.levy_id == Levy.id)
        .where(LevyHousehold.household_id == household.id, LevyHousehold.left_on.is_(None))
        .order_by(Levy.name)
    ).all()
    return household, list(levies)
