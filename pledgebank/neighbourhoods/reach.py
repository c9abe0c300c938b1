"""How an email tells its reader to reach the neighbourhood: the group's contact, who its treasurer and chair
are, and where to pay the treasurer by bank transfer (plain values: emails are rendered after commit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Neighbourhood, Role


def _holders(session: Session, neighbourhood_id: int, role: Role) -> list[str]:
    return list(
        session.scalars(
            select(User.display_name)
            .join(Membership, Membership.user_id == User.id)
            .join(MembershipRole, MembershipRole.membership_id == Membership.id)
            .where(Membership.neighbourhood_id == neighbourhood_id, MembershipRole.role == role.value)
            .order_by(Membership.id)
        )
    )


def reach(session: Session, neighbourhood_id: int) -> dict[str, object]:
    """What every email about this neighbourhood says about reaching it and paying its treasurer.

    `contact` is the group's own address (set by the chair; '' until then); `bank_details` is '' when the
    group has given none, and an email must then not promise them.
    """
    place = session.get_one(Neighbourhood, neighbourhood_id)
    treasurers = _holders(session, neighbourhood_id, Role.TREASURER)
    return {
        "name": place.name,
        "slug": place.slug,
        "group": place.controller_name,
        "contact": place.controller_contact,
        "treasurers": treasurers,
        "chairs": [
            name for name in _holders(session, neighbourhood_id, Role.CHAIR) if name not in treasurers
        ],
        "bank_details": place.bank_details,
    }
