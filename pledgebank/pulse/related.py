"""Figures beside a round's measures, from the neighbourhood's own records over the round's period: residents
who pledged, households in levies, grant applications submitted, grantees' reports and how they rated what the
grant did, and money raised by pledges per household.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pledgebank.grants.models import GrantApplication, GrantReport
from pledgebank.levies.models import Household, Levy, LevyHousehold
from pledgebank.pledges.models import Pledge, PledgeSignup, SignupStatus
from pledgebank.pulse.models import PulseRound

# A pledge's money counts as raised once it is collected.
_COLLECTED = (SignupStatus.CAPTURED, SignupStatus.CASH_KEPT)


@dataclass(frozen=True, slots=True)
class Related:
    """The round's period and what happened in it (money in minor units; per household None without any)."""

    pledgers: int
    levy_households: int
    grant_applications: int
    raised: int
    households: int
    currency: str
    reports: int = 0
    rating_total: int = 0

    @property
    def rating_tenths(self) -> int | None:
        """The reports' average rating (1 to 5) in tenths, rounded half up; None without reports."""
        return (self.rating_total * 20 + self.reports) // (2 * self.reports) if self.reports else None

    @property
    def raised_per_household(self) -> int | None:
        """Money raised by pledges divided among the neighbourhood's households, rounded down."""
        return self.raised // self.households if self.households else None


def figures(session: Session, found: PulseRound) -> Related:
    """The related figures for the round's period (its opening day to its closing day, both included)."""
    start = datetime.combine(found.opens, time.min, tzinfo=UTC)
    end = datetime.combine(found.closes + timedelta(days=1), time.min, tzinfo=UTC)
    place = found.neighbourhood_id
    signups = (
        select(PledgeSignup)
        .join(Pledge, Pledge.id == PledgeSignup.pledge_id)
        .where(
            Pledge.neighbourhood_id == place, PledgeSignup.created_at >= start, PledgeSignup.created_at < end
        )
        .subquery()
    )
    pledgers = session.scalar(select(func.count(func.distinct(signups.c.user_id))))
    raised = session.scalar(
        select(func.coalesce(func.sum(signups.c.amount), 0)).where(signups.c.status.in_(_COLLECTED))
    )
    levy_households = session.scalar(
        select(func.count(func.distinct(LevyHousehold.household_id)))
        .join(Levy, Levy.id == LevyHousehold.levy_id)
        .where(
            Levy.neighbourhood_id == place,
            LevyHousehold.joined_on <= found.closes,
            or_(LevyHousehold.left_on.is_(None), LevyHousehold.left_on >= found.opens),
        )
    )
    applications = session.scalar(
        select(func.count())
        .select_from(GrantApplication)
        .where(
            GrantApplication.neighbourhood_id == place,
            GrantApplication.submitted_at >= start,
            GrantApplication.submitted_at < end,
        )
    )
    reports, rating_total = session.execute(
        select(func.count(), func.coalesce(func.sum(GrantReport.rating), 0))
        .select_from(GrantReport)
        .join(GrantApplication, GrantApplication.id == GrantReport.application_id)
        .where(
            GrantApplication.neighbourhood_id == place,
            GrantReport.submitted_at >= start,
            GrantReport.submitted_at < end,
        )
    ).one()
    households = session.scalar(
        select(func.count()).select_from(Household).where(Household.neighbourhood_id == place)
    )
    return Related(
        pledgers=pledgers or 0,
        levy_households=levy_households or 0,
        grant_applications=applications or 0,
        raised=int(raised or 0),
        households=households or 0,
        currency=found.neighbourhood.currency,
        reports=int(reports or 0),
        rating_total=int(rating_total or 0),
    )
