"""The text part of `run-due`: a pledge that reached its target is texted to its text signers, once."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge
from pledgebank.sms.models import SmsNotice, SmsNumber
from pledgebank.sms.signing import REACHED, THRESHOLD, tell_if_reached


def run_due(sessions: sessionmaker[Session], *, now: datetime, base_url: str) -> Counter[str]:
    """Text the signers of every pledge with a text number that has reached its target and not been told."""
    done: Counter[str] = Counter()
    with unit_of_work(sessions) as session:
        told = select(SmsNotice.pledge_id).where(SmsNotice.kind == THRESHOLD)
        pledges = session.scalars(
            select(Pledge)
            .join(SmsNumber, SmsNumber.neighbourhood_id == Pledge.neighbourhood_id)
            .where(
                Pledge.status.in_([s.value for s in REACHED]),
                Pledge.activated_at.is_not(None),
                Pledge.id.not_in(told),
            )
            .order_by(Pledge.id)
        ).all()
        for pledge in pledges:
            done["sms.threshold_texts"] += tell_if_reached(session, pledge, now=now, base_url=base_url)
    return done
