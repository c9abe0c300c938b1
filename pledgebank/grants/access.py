"""Who sits on the committee, who is conflicted on an application, and who may see what of it.

The policy (pledgebank.policy) says which roles may take grant actions in a neighbourhood; this module adds
what depends on one application: the applicant and members who declared a conflict are conflicted, drafts are
their applicant's alone, and scores stay hidden from conflicted or undeclared members until the decision.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.errors import Forbidden, NotFound
from pledgebank.grants.models import GrantApplication, GrantDeclaration
from pledgebank.grants.states import DECIDED, ApplicationStatus
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Role
from pledgebank.policy import Action, can

COMMITTEE_ROLES = (Role.COMMITTEE.value, Role.CHAIR.value)
NO_INTEREST = "none"
CONFLICT = "conflict"


def members_holding(session: Session, neighbourhood_id: int, roles: tuple[str, ...]) -> set[int]:
    """Ids of the active members of the neighbourhood holding any of the roles."""
    return set(
        session.scalars(
            select(Membership.user_id)
            .join(MembershipRole, MembershipRole.membership_id == Membership.id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.neighbourhood_id == neighbourhood_id,
                MembershipRole.role.in_(roles),
                User.is_active.is_(True),
            )
        )
    )


def committee_ids(session: Session, neighbourhood_id: int) -> set[int]:
    """The committee: active members holding the committee or the chair role."""
    return members_holding(session, neighbourhood_id, COMMITTEE_ROLES)


def declarations(session: Session, application_id: int) -> dict[int, GrantDeclaration]:
    """Every declaration made on the application, by member id."""
    rows = session.scalars(select(GrantDeclaration).where(GrantDeclaration.application_id == application_id))
    return {row.member_id: row for row in rows}


def conflicted_ids(session: Session, application: GrantApplication) -> set[int]:
    """The applicant (conflicted automatically) and every member who declared a conflict."""
    declared = declarations(session, application.id)
    return {application.applicant_id} | {m for m, d in declared.items() if d.interest == CONFLICT}


def is_conflicted(session: Session, application: GrantApplication, user_id: int | None) -> bool:
    """Whether the user applied or declared a conflict on this application."""
    return user_id is not None and user_id in conflicted_ids(session, application)


def has_declared_no_interest(session: Session, application: GrantApplication, user_id: int | None) -> bool:
    """Whether the user has declared that they have no interest (and did not apply)."""
    if user_id is None or user_id == application.applicant_id:
        return False
    found = declarations(session, application.id).get(user_id)
    return found is not None and found.interest == NO_INTEREST


def require_unconflicted(session: Session, application: GrantApplication, user_id: int, doing: str) -> None:
    """Raise Forbidden unless the user has declared no interest in the application.

    Nobody acts on their own application; a member who declared a conflict cannot act on it; a member who
    has not declared yet must declare first.
    """
    if user_id == application.applicant_id:
        raise Forbidden(f"You applied for this grant, so you cannot {doing}.")
    if is_conflicted(session, application, user_id):
        raise Forbidden(f"You declared a conflict of interest, so you cannot {doing}.")
    if not has_declared_no_interest(session, application, user_id):
        raise Forbidden(f"Declare your interest in this application before you {doing}.")


def can_view(session: Session, application: GrantApplication, user_id: int | None) -> bool:
    """Applicants see their own; officers see every submitted application of their neighbourhood."""
    if user_id is not None and user_id == application.applicant_id:
        return True
    if application.status == ApplicationStatus.DRAFT:
        return False
    return can(session, user_id, application.neighbourhood_id, Action.VIEW_GRANT_APPLICATIONS)


def require_view(session: Session, application: GrantApplication, user_id: int | None) -> None:
    """Raise NotFound (so that nobody learns what they may not see) unless the user may see it."""
    if not can_view(session, application, user_id):
        raise NotFound("There is no such application.")


def can_see_scores(session: Session, application: GrantApplication, user_id: int | None) -> bool:
    """Committee members see everyone's scores once they have declared no interest, or after the decision."""
    if not can(session, user_id, application.neighbourhood_id, Action.REVIEW_GRANTS):
        return False
    if application.status in DECIDED:
        return True
    return has_declared_no_interest(session, application, user_id)


def require_applicant(application: GrantApplication, user_id: int, doing: str) -> None:
    """Raise Forbidden unless the user made the application."""
    if user_id != application.applicant_id:
        raise Forbidden(f"Only the applicant can {doing}.")
