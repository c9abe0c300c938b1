"""The text part of `run-due`: a pledge that reached its target is texted to its text signers, once; and
numbers that texted us but were never confirmed are forgotten once they have been quiet for a while."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.db import unit_of_work
from pledgebank.pledges.models import Pledge
from pledgebank.sms.models import SmsInbound, SmsNotice, SmsNumber, SmsPhone
from pledgebank.sms.signing import REACHED, THRESHOLD, tell_if_reached


def run_due(
    sessions: sessionmaker[Session], *, now: datetime, base_url: str, keep_unconfirmed_days: int = 30
) -> Counter[str]:
    """Text the signers of every pledge with a text number that has reached its target and not been told;
    forget the numbers never confirmed that have sent nothing for `keep_unconfirmed_days`."""
    done: Counter[str] = Counter()
    with unit_of_work(sessions) as session:
        # Counted only when there were some, as every part of run-due counts what it did.
        done["sms.numbers_forgotten"] += forget_unconfirmed(
            session, before=now - timedelta(days=keep_unconfirmed_days)
        )
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
    return +done  # without the zero counts


def forget_unconfirmed(session: Session, *, before: datetime) -> int:
    """Delete numbers nobody confirmed (no person, no code for an account) quiet since `before`, with the
    record of their texts; how many. A number asked for no texts is forgotten too: we text it only to
    answer it."""
    recent = select(SmsInbound.phone_id).where(SmsInbound.received_at >= before)
    stale = list(
        session.scalars(
            select(SmsPhone.id).where(
                SmsPhone.verified_at.is_(None),
                SmsPhone.user_id.is_(None),
                SmsPhone.pending_user_id.is_(None),
                SmsPhone.created_at < before,
                SmsPhone.id.not_in(recent),
            )
        )
    )
    if stale:
        session.execute(delete(SmsInbound).where(SmsInbound.phone_id.in_(stale)))
        session.execute(delete(SmsPhone).where(SmsPhone.id.in_(stale)))
    return len(stale)
