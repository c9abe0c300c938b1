"""Recording a pledge's milestones with the figures of the moment (see models.PledgeMilestone).

Each is written once, under the pledge's row lock, by the step that changes the pledge's state: opening,
activation, the end of collection and the three endings.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.pledges.models import Pledge, PledgeMilestone, PledgeSignup
from pledgebank.pledges.states import ACTIVE, SignupStatus


class Milestone(StrEnum):
    """The moments a pledge's history shows, in the order they happen."""

    OPENED = "opened"
    ACTIVATED = "activated"
    COLLECTION_ENDED = "collection_ended"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


def record_milestone(
    session: Session,
    pledge: Pledge,
    kind: Milestone,
    *,
    counting: Collection[SignupStatus],
    now: datetime,
) -> PledgeMilestone:
    """Store the milestone with the people and money counting now (`counting`: the signup states that count
    at this moment) and every live pledge; a second call for the same moment keeps the first."""
    existing = session.scalar(
        select(PledgeMilestone).where(
            PledgeMilestone.pledge_id == pledge.id, PledgeMilestone.kind == kind.value
        )
    )
    if existing is not None:
        return existing
    rows = session.execute(
        select(PledgeSignup.status, func.count(), func.sum(PledgeSignup.amount))
        .where(PledgeSignup.pledge_id == pledge.id)
        .group_by(PledgeSignup.status)
    ).all()
    counted = {state.value for state in counting}
    live = {state.value for state in ACTIVE}
    milestone = PledgeMilestone(
        pledge_id=pledge.id,
        kind=kind.value,
        occurred_at=now,
        pledgers=sum(n for status, n, _ in rows if status in counted),
        amount=sum(int(total or 0) for status, _, total in rows if status in counted),
        pledges=sum(n for status, n, _ in rows if status in live),
        pledged=sum(int(total or 0) for status, _, total in rows if status in live),
    )
    session.add(milestone)
    return milestone


def milestones_of(session: Session, pledge_id: int) -> dict[Milestone, PledgeMilestone]:
    """The pledge's recorded milestones by kind."""
    rows = session.scalars(select(PledgeMilestone).where(PledgeMilestone.pledge_id == pledge_id))
    return {Milestone(row.kind): row for row in rows}
