"""Read-only questions the pledge pages and API ask: a person's pledges, cash waiting, names of people."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.accounts.names import distinct_names
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.states import SignupStatus


def pledges_of_user(session: Session, user_id: int) -> list[tuple[Pledge, PledgeSignup]]:
    """Every pledge the user has signed, with their signup, most recently changed first."""
    rows = session.execute(
        select(Pledge, PledgeSignup)
        .join(PledgeSignup, PledgeSignup.pledge_id == Pledge.id)
        .where(PledgeSignup.user_id == user_id)
        .order_by(PledgeSignup.updated_at.desc(), PledgeSignup.id.desc())
    ).all()
    return [(pledge, signup) for pledge, signup in rows]


def cash_waiting(session: Session, pledge_id: int) -> list[tuple[PledgeSignup, str]]:
    """Cash pledges the treasurer has not yet received, oldest first, with the pledger's name (and part of
    their email address where two share a name: only the treasurer sees this list)."""
    rows = session.execute(
        select(PledgeSignup, User.display_name, User.email)
        .join(User, User.id == PledgeSignup.user_id)
        .where(
            PledgeSignup.pledge_id == pledge_id,
            PledgeSignup.status == SignupStatus.CASH_PROMISED.value,
        )
        .order_by(PledgeSignup.id)
    ).all()
    names = distinct_names(((s.user_id, name, email) for s, name, email in rows), officer=True)
    return [(signup, names[signup.user_id]) for signup, _, _ in rows]
