"""The pledge's public list of signers: opt-in, as a first name and initial or as "a neighbour".

The number of people who have pledged is always public; names only for those who chose to show them. People
who closed their account never appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.states import ACTIVE
from pledgebank.text import _t

SHOWN_AS = {
    "hidden": _t("Count me, but do not list me"),
    "name": _t("List me by my first name and initial"),
    "neighbour": _t("List me as “a neighbour”"),
}
NEIGHBOUR = "a neighbour"


@dataclass(frozen=True, slots=True)
class Signers:
    """How many people have pledged, and the listed ones' public names, in the order they pledged."""

    count: int
    listed: list[str]


def public_name(display_name: str) -> str:
    """'Priya Shah' -> 'Priya S.'; a single name stays as it is."""
    words = display_name.split()
    if not words:
        return NEIGHBOUR
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


def signers(session: Session, pledge: Pledge) -> Signers:
    """The pledge's signers as anyone may see them."""
    rows = session.execute(
        select(PledgeSignup.shown_as, User.display_name, User.erased_at)
        .join(User, User.id == PledgeSignup.user_id)
        .where(PledgeSignup.pledge_id == pledge.id, PledgeSignup.status.in_(list(ACTIVE)))
        .order_by(PledgeSignup.created_at, PledgeSignup.id)
    ).all()
    listed = [
        public_name(name) if shown == "name" else NEIGHBOUR
        for shown, name, erased in rows
        if erased is None and shown in ("name", "neighbour")
    ]
    return Signers(count=len(rows), listed=listed)


def choose(signup: PledgeSignup, shown_as: str | None) -> None:
    """Set how the signer appears (on the signup being made or already made)."""
    if shown_as not in SHOWN_AS:
        raise InvalidInput.field("shown_as", _t("Choose how you appear in the list of signers."))
    signup.shown_as = shown_as


def change(session: Session, *, actor_id: int, pledge_id: int, shown_as: str | None) -> PledgeSignup:
    """The signer changes how they appear; only their own active pledge."""
    signup = session.scalar(
        select(PledgeSignup).where(PledgeSignup.pledge_id == pledge_id, PledgeSignup.user_id == actor_id)
    )
    if signup is None or signup.status not in ACTIVE:
        raise Conflict(_t("You have not pledged to this pledge."))
    choose(signup, shown_as)
    return signup
