"""Demo data for accounts: the people of the demo neighbourhood, verified and sharing one printed password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.accounts.services import create_user

DEMO_PASSWORD = "pledgebank-demo"  # noqa: S105 - printed on start; demo data only


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """Someone in the demo neighbourhood, with the roles the chair gives them there."""

    name: str
    email: str
    roles: tuple[str, ...]


# The first is the chair (who creates the neighbourhood), the second the treasurer.
PEOPLE = (
    DemoPerson("Priya Shah", "priya@example.org", ("chair",)),
    DemoPerson("Tom Okafor", "tom@example.org", ("treasurer", "committee")),
    DemoPerson("Aisha Rahman", "aisha@example.org", ("committee",)),
    DemoPerson("Gareth Jones", "gareth@example.org", ("committee",)),
    DemoPerson("Ben Clarke", "ben@example.org", ()),
    DemoPerson("Sofia Rossi", "sofia@example.org", ()),
    DemoPerson("Li Wei", "li@example.org", ()),
)


def seed_people(session: Session, *, at: datetime) -> dict[str, int]:
    """Create the demo people's verified accounts; their user ids by email, in the order of PEOPLE."""
    ids = {}
    for person in PEOPLE:
        user = create_user(
            session,
            email=person.email,
            display_name=person.name,
            password=DEMO_PASSWORD,
            now=at,
            verified=True,
        )
        ids[person.email] = user.id
    return ids
