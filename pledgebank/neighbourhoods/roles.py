"""Giving and taking roles, removing members and leaving; a neighbourhood always keeps a chair."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.errors import InvalidInput, LastChair, NotFound
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Neighbourhood, Role
from pledgebank.policy import Action, require

GRANTABLE = (Role.COMMITTEE, Role.TREASURER, Role.CHAIR)


def _lock(session: Session, neighbourhood: Neighbourhood) -> None:
    # Role changes in one neighbourhood take turns, so two chairs cannot demote each other at once.
    session.execute(select(Neighbourhood.id).where(Neighbourhood.id == neighbourhood.id).with_for_update())


def _member(session: Session, neighbourhood: Neighbourhood, user_id: int) -> Membership:
    membership = session.scalar(
        select(Membership).where(
            Membership.neighbourhood_id == neighbourhood.id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise NotFound("That person is not a member of this neighbourhood.")
    return membership


def _chair_count(session: Session, neighbourhood: Neighbourhood) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(MembershipRole)
            .join(Membership)
            .where(Membership.neighbourhood_id == neighbourhood.id, MembershipRole.role == Role.CHAIR.value)
        )
        or 0
    )


def _role(value: str) -> Role:
    try:
        role = Role(value)
    except ValueError:
        raise InvalidInput.field("role", "Choose committee, treasurer or chair.") from None
    if role not in GRANTABLE:
        raise InvalidInput.field("role", "Every member is a resident; choose committee, treasurer or chair.")
    return role


def _names(membership: Membership) -> list[str]:
    return sorted(role.value for role in membership.roles)


def grant_role(
    session: Session, *, actor_id: int, neighbourhood: Neighbourhood, user_id: int, role: str, now: datetime
) -> Membership:
    """Give a member a role (chair only); giving a role they hold is a no-op."""
    wanted = _role(role)
    require(session, actor_id, neighbourhood.id, Action.MANAGE_ROLES)
    _lock(session, neighbourhood)
    membership = _member(session, neighbourhood, user_id)
    if wanted in membership.roles:
        return membership
    before = _names(membership)
    membership.role_rows.append(MembershipRole(role=wanted.value))
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="role.granted",
        subject=("user", user_id),
        now=now,
        before={"roles": before},
        after={"roles": _names(membership)},
    )
    return membership


def revoke_role(
    session: Session, *, actor_id: int, neighbourhood: Neighbourhood, user_id: int, role: str, now: datetime
) -> Membership:
    """Take a role from a member (chair only); the last chair keeps theirs."""
    unwanted = _role(role)
    require(session, actor_id, neighbourhood.id, Action.MANAGE_ROLES)
    _lock(session, neighbourhood)
    membership = _member(session, neighbourhood, user_id)
    if unwanted not in membership.roles:
        return membership
    if unwanted == Role.CHAIR and _chair_count(session, neighbourhood) <= 1:
        raise LastChair("This is the neighbourhood's only chair; make someone else chair first.")
    before = _names(membership)
    membership.role_rows = [row for row in membership.role_rows if row.role != unwanted.value]
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="role.revoked",
        subject=("user", user_id),
        now=now,
        before={"roles": before},
        after={"roles": _names(membership)},
    )
    return membership


def check_leaving(session: Session, *, neighbourhood: Neighbourhood, user_id: int) -> None:
    """Raise LastChair when the user is the neighbourhood's only chair (checked again as they leave)."""
    membership = _member(session, neighbourhood, user_id)
    if Role.CHAIR in membership.roles and _chair_count(session, neighbourhood) <= 1:
        raise LastChair("The only chair cannot leave; make someone else chair first.")


def remove_member(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    user_id: int,
    now: datetime,
    reason: str = "",
) -> None:
    """End someone's membership: a chair removing a member, or a member leaving (actor_id == user_id)."""
    action = Action.LEAVE if actor_id == user_id else Action.MANAGE_ROLES
    require(session, actor_id, neighbourhood.id, action)
    _lock(session, neighbourhood)
    membership = _member(session, neighbourhood, user_id)
    if Role.CHAIR in membership.roles and _chair_count(session, neighbourhood) <= 1:
        raise LastChair("The only chair cannot leave; make someone else chair first.")
    if action == Action.MANAGE_ROLES and not reason.strip():
        raise InvalidInput.field("reason", "Say why this member is being removed.")
    before = _names(membership)
    session.delete(membership)
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="member.left" if action == Action.LEAVE else "member.removed",
        subject=("user", user_id),
        now=now,
        before={"roles": before},
        after=None,
        reason=reason.strip(),
    )
