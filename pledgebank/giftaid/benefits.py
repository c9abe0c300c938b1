"""What a pledge gives each pledger in return, valued by the committee, so eligibility can weigh it against
HMRC's donor benefit limits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.errors import InvalidInput
from pledgebank.giftaid.models import GiftAidBenefit
from pledgebank.pledges.models import Pledge
from pledgebank.text import _t


def set_benefit(
    session: Session, *, actor_id: int, pledge: Pledge, value: int, description: str, now: datetime
) -> GiftAidBenefit:
    """Record (or correct) the value of what each pledger receives; zero means nothing in return.

    Raises InvalidInput for a negative value, or a value without a description of what it is.
    """
    if value < 0:
        raise InvalidInput.field("value", _t("The value cannot be negative."))
    description = " ".join((description or "").split())
    if value and not description:
        raise InvalidInput.field("description", _t("Say what each pledger receives."))
    benefit = session.scalar(select(GiftAidBenefit).where(GiftAidBenefit.pledge_id == pledge.id))
    if benefit is None:
        benefit = GiftAidBenefit(pledge_id=pledge.id)
        session.add(benefit)
    benefit.value, benefit.description = value, description[:200]
    benefit.recorded_by_id, benefit.recorded_at = actor_id, now
    return benefit
