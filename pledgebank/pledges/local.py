"""Local pledges: the live pledges near a postcode district (for the home page) and a neighbourhood's
dashboard (live pledges, open grant rounds, active levies, recent updates and the money page's figures)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pledgebank.books import queries as money
from pledgebank.books.services import book_of
from pledgebank.errors import InvalidInput
from pledgebank.grants.models import GrantRound
from pledgebank.grants.rounds import list_rounds
from pledgebank.levies.models import Levy
from pledgebank.levies.services import list_levies
from pledgebank.levies.states import LevyStatus
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.neighbourhoods.services import normalise_district
from pledgebank.pledges.models import Pledge, PledgeUpdate
from pledgebank.pledges.services import Progress, progress
from pledgebank.pledges.states import PledgeStatus
from pledgebank.text import _t

LIVE = (PledgeStatus.OPEN.value, PledgeStatus.COLLECTING.value, PledgeStatus.SUCCEEDED.value)
_AREA = re.compile(r"^[A-Z]+")


@dataclass(frozen=True, slots=True)
class LocalPledge:
    """A live pledge with its progress and where it is."""

    pledge: Pledge
    progress: Progress
    neighbourhood: Neighbourhood


@dataclass(frozen=True, slots=True)
class Headline:
    """The money page's figures over every fund: received, spent and awarded, and what is left."""

    received: int
    spent: int
    left: int
    currency: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What a neighbourhood's front page shows."""

    pledges: list[LocalPledge]
    rounds: list[GrantRound]
    levies: list[Levy]
    updates: list[tuple[PledgeUpdate, Pledge]]
    headline: Headline


def _area(district: str) -> str:
    """The postcode area: the letters a district starts with (SE15 -> SE); the whole code if none."""
    found = _AREA.match(district)
    return found.group(0) if found else district


def _is_live(pledge: Pledge, now: datetime) -> bool:
    # Open, collecting, or succeeded and still taking (late) pledges until its deadline.
    return pledge.status != PledgeStatus.SUCCEEDED or pledge.deadline > now


def live_pledges(
    session: Session, neighbourhoods: list[Neighbourhood], *, now: datetime
) -> list[LocalPledge]:
    """The live pledges of the neighbourhoods (never drafts), soonest deadline first."""
    places = {n.id: n for n in neighbourhoods}
    if not places:
        return []
    pledges = session.scalars(
        select(Pledge)
        .where(Pledge.neighbourhood_id.in_(places), Pledge.status.in_(LIVE))
        .order_by(Pledge.deadline, Pledge.id)
    )
    return [
        LocalPledge(p, progress(session, p), places[p.neighbourhood_id]) for p in pledges if _is_live(p, now)
    ]


def near_district(session: Session, raw: str, *, now: datetime) -> tuple[str, list[LocalPledge]]:
    """The live pledges in neighbourhoods of the postcode district, then those of its area (SE15, then SE)."""
    try:
        district = normalise_district(raw)
    except InvalidInput:
        raise InvalidInput.field(
            "district", _t("Enter a postcode district such as SE15, or a full postcode.")
        ) from None
    prefix = _area(district)
    places = list(
        session.scalars(
            select(Neighbourhood).where(
                or_(
                    Neighbourhood.postcode_district == district,
                    Neighbourhood.postcode_district.startswith(prefix),
                )
            )
        )
    )
    # Only districts of the same area: SE15 is near SE1 and SE22, not near S1 (which "S" would also match).
    places = [n for n in places if _area(n.postcode_district) == prefix]
    found = live_pledges(session, places, now=now)
    found.sort(key=lambda local: local.neighbourhood.postcode_district != district)  # stable: exact first
    return district, found


def everywhere(session: Session, *, now: datetime, limit: int = 12) -> list[LocalPledge]:
    """Live pledges anywhere, soonest deadline first (the home page without a district)."""
    return live_pledges(session, list(session.scalars(select(Neighbourhood))), now=now)[:limit]


def dashboard(
    session: Session, neighbourhood: Neighbourhood, *, user_id: int | None, now: datetime
) -> Dashboard:
    """A neighbourhood's front page: what is happening, and the money page's headline figures."""
    pledges = live_pledges(session, [neighbourhood], now=now)
    rounds = [r for r in list_rounds(session, neighbourhood_id=neighbourhood.id) if r.is_open(now)]
    levies = [
        levy
        for levy in list_levies(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
        if levy.status == LevyStatus.ACTIVE
    ]
    rows = session.execute(
        select(PledgeUpdate, Pledge)
        .join(Pledge, Pledge.id == PledgeUpdate.pledge_id)
        .where(Pledge.neighbourhood_id == neighbourhood.id, Pledge.status != PledgeStatus.DRAFT.value)
        .order_by(PledgeUpdate.created_at.desc(), PledgeUpdate.id.desc())
        .limit(5)
    ).all()
    updates = [(update, pledge) for update, pledge in rows]
    book = book_of(session, neighbourhood.id)
    balances = money.fund_balances(session, book)
    received = sum(b.income for b in balances)
    spent = sum(b.expenses for b in balances)
    return Dashboard(
        pledges, rounds, levies, updates, Headline(received, spent, received - spent, book.currency)
    )
