"""Households and levies: a resident joining with their address and band (one household, one liability),
leaving a voluntary levy, and the committee importing a household register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.levies.addresses import MAX_LENGTH, normalise_address
from pledgebank.levies.bands import Band
from pledgebank.levies.models import Household, HouseholdResident, Levy, LevyHousehold
from pledgebank.levies.register import Problem, parse_register
from pledgebank.levies.services import about, get_levy, maybe_start, tell_household
from pledgebank.levies.states import TAKING_HOUSEHOLDS, LevyStatus
from pledgebank.policy import Action, require
from pledgebank.text import _t


class RegisterRejected(InvalidInput):
    """A household register with problems; nothing from it was imported."""

    code = "register_rejected"
    default_message = "The register was not imported: fix the lines listed and upload it again."

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(fields={"file": [f"Line {p.line}: {p.message}" for p in problems]})
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Joined:
    """The household's liability, and whether this call created it (False: a resident had already joined)."""

    liability: LevyHousehold
    household: Household
    created: bool


def household_of(session: Session, *, neighbourhood_id: int, user_id: int | None) -> Household | None:
    """The household the user lives in, in this neighbourhood, if they have given it."""
    if user_id is None:
        return None
    return session.scalar(
        select(Household)
        .join(HouseholdResident, HouseholdResident.household_id == Household.id)
        .where(HouseholdResident.neighbourhood_id == neighbourhood_id, HouseholdResident.user_id == user_id)
    )


def liability_of(session: Session, *, levy_id: int, household_id: int) -> LevyHousehold | None:
    """The household's liability for the levy, if it has ever joined."""
    return session.scalar(
        select(LevyHousehold).where(
            LevyHousehold.levy_id == levy_id, LevyHousehold.household_id == household_id
        )
    )


def is_resident(session: Session, *, household_id: int, user_id: int | None) -> bool:
    """Whether the user lives in the household."""
    return user_id is not None and (
        session.scalar(
            select(HouseholdResident.id).where(
                HouseholdResident.household_id == household_id, HouseholdResident.user_id == user_id
            )
        )
        is not None
    )


def _checked(address: str, band: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    clean = " ".join((address or "").split())
    key = normalise_address(clean)
    if not key:
        errors["address"] = ["Enter your address: house number or name, and street."]
    elif len(clean) > MAX_LENGTH:
        errors["address"] = [f"Enter the address in at most {MAX_LENGTH} characters."]
    band = (band or "").strip().upper()
    if band not in Band.__members__:
        errors["band"] = ["Choose your council-tax band, A to H."]
    if errors:
        raise InvalidInput(fields=errors)
    return clean, key, band


def _household(
    session: Session, levy: Levy, address: str, key: str, band: str, actor_id: int, now
) -> Household:
    found = session.scalar(
        select(Household).where(
            Household.neighbourhood_id == levy.neighbourhood_id, Household.address_key == key
        )
    )
    if found is not None:
        return found
    household = Household(
        neighbourhood_id=levy.neighbourhood_id,
        address=address,
        address_key=key,
        band=band,
        created_by_id=actor_id,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(household)
            session.flush()  # trips the one-household-per-address constraint when a neighbour won the race
    except IntegrityError:
        return session.scalars(
            select(Household).where(
                Household.neighbourhood_id == levy.neighbourhood_id, Household.address_key == key
            )
        ).one()
    return household


def join_levy(
    session: Session, *, actor_id: int, levy_id: int, address: str, band: str, now: datetime, zone: str
) -> Joined:
    """Join a levy for your household; a second resident of the same household joins the same liability."""
    levy = get_levy(session, levy_id, lock=True)  # the threshold is decided one join at a time
    require(session, actor_id, levy.neighbourhood_id, Action.JOIN_LEVY)
    today = local_date(now, zone)
    if levy.status not in TAKING_HOUSEHOLDS or (levy.ends_on is not None and levy.ends_on <= today):
        raise Conflict("This levy is not taking households.")
    clean, key, band = _checked(address, band)
    mine = household_of(session, neighbourhood_id=levy.neighbourhood_id, user_id=actor_id)
    if mine is not None and mine.address_key != key:
        raise InvalidInput.field(
            "address", f"You are registered at {mine.address}. Ask the committee if you have moved."
        )
    household = mine or _household(session, levy, clean, key, band, actor_id, now)
    if household.band != band:
        raise InvalidInput.field(
            "band",
            f"This household is registered in band {household.band}. Ask the committee if that is wrong.",
        )
    if mine is None:
        session.add(
            HouseholdResident(
                neighbourhood_id=levy.neighbourhood_id,
                household_id=household.id,
                user_id=actor_id,
                joined_at=now,
            )
        )
    liability = liability_of(session, levy_id=levy.id, household_id=household.id)
    if liability is not None and liability.left_on is None:
        return Joined(liability, household, created=False)
    if liability is None:
        liability = LevyHousehold(
            levy_id=levy.id, household_id=household.id, joined_on=today, added_by_id=actor_id, created_at=now
        )
        session.add(liability)
    else:
        liability.joined_on, liability.left_on = today, None  # back again: liable from today
    session.flush()
    tell_household(
        session, household.id, _t("You have joined %(levy)s", levy=levy.name), "levies/joined", about(levy)
    )
    maybe_start(session, levy, now=now, zone=zone)
    return Joined(liability, household, created=True)


def leave_levy(session: Session, *, actor_id: int, levy_id: int, now: datetime, zone: str) -> LevyHousehold:
    """Leave a voluntary levy: no charge is raised for a period starting after today; unpaid ones stay."""
    levy = get_levy(session, levy_id, lock=True)
    household = household_of(session, neighbourhood_id=levy.neighbourhood_id, user_id=actor_id)
    liability = (
        None if household is None else liability_of(session, levy_id=levy.id, household_id=household.id)
    )
    if household is None or liability is None or liability.left_on is not None:
        raise NotFound("Your household is not in this levy.")
    if not levy.voluntary:
        raise Conflict("Every household pays this levy; it cannot be left. Ask the committee about hardship.")
    liability.left_on = max(local_date(now, zone), liability.joined_on)
    tell_household(
        session, household.id, _t("You have left %(levy)s", levy=levy.name), "levies/left", about(levy)
    )
    return liability


def import_register(
    session: Session, *, actor_id: int, levy_id: int, text: str, now: datetime, zone: str
) -> int:
    """Add a register's households to the levy (committee): all of them, or none with every problem listed."""
    levy = get_levy(session, levy_id, lock=True)
    require(session, actor_id, levy.neighbourhood_id, Action.MANAGE_LEVIES)
    if levy.status == LevyStatus.ENDED:
        raise Conflict("This levy has ended.")
    rows, problems = parse_register(text)
    known = {
        h.address_key: h
        for h in session.scalars(select(Household).where(Household.neighbourhood_id == levy.neighbourhood_id))
    }
    liable = set(
        session.scalars(
            select(LevyHousehold.household_id).where(
                LevyHousehold.levy_id == levy.id, LevyHousehold.left_on.is_(None)
            )
        )
    )
    for row in rows:
        existing = known.get(row.key)
        if existing is not None and existing.id in liable:
            problems.append(
                Problem(row.line, f"{existing.address} is already in this levy (a duplicate household).")
            )
        elif existing is not None and existing.band != row.band:
            problems.append(
                Problem(
                    row.line, f"{existing.address} is registered in band {existing.band}, not {row.band}."
                )
            )
    if problems:
        raise RegisterRejected(sorted(problems, key=lambda problem: problem.line))
    today = local_date(now, zone)
    for row in rows:
        household = known.get(row.key) or _household(
            session, levy, row.address, row.key, row.band, actor_id, now
        )
        liability = liability_of(session, levy_id=levy.id, household_id=household.id)
        if liability is None:
            session.add(
                LevyHousehold(
                    levy_id=levy.id,
                    household_id=household.id,
                    joined_on=today,
                    added_by_id=actor_id,
                    created_at=now,
                )
            )
        else:
            liability.joined_on, liability.left_on = today, None
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=levy.neighbourhood_id,
        action="levy.register_imported",
        subject=("levy", levy.id),
        now=now,
        after={"households": len(rows)},
    )
    maybe_start(session, levy, now=now, zone=zone)
    return len(rows)
