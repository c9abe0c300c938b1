"""Time-driven dividend work for `run-due`: an agreement past its deadline without verification lapses, with
nothing owed (a draft nobody signed in time lapses too)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.books.audit import record_event
from pledgebank.db import unit_of_work
from pledgebank.dividends.models import DividendAgreement
from pledgebank.dividends.states import OPEN, AgreementAction, next_status


def run_due(sessions: sessionmaker[Session], *, now: datetime, zone: str) -> Counter[str]:
    """Lapse every open agreement whose deadline has passed (safe to run twice at once)."""
    today = now.astimezone(ZoneInfo(zone)).date()
    with unit_of_work(sessions) as session:
        ids = list(
            session.scalars(
                select(DividendAgreement.id)
                .where(DividendAgreement.status.in_(OPEN), DividendAgreement.deadline < today)
                .order_by(DividendAgreement.id)
            )
        )
    done: Counter[str] = Counter()
    for agreement_id in ids:
        with unit_of_work(sessions) as session:
            # SKIP LOCKED: when a verifier is verifying it this moment, leave it to them.
            agreement = session.scalar(
                select(DividendAgreement)
                .where(DividendAgreement.id == agreement_id)
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
            if agreement is None or agreement.status not in OPEN or agreement.deadline >= today:
                continue
            before = agreement.status.value
            agreement.status = next_status(agreement.status, AgreementAction.LAPSE)
            agreement.updated_at = now
            record_event(
                session,
                actor_id=None,
                neighbourhood_id=agreement.neighbourhood_id,
                action="dividend.lapsed",
                subject=("dividend_agreement", agreement.id),
                now=now,
                before={"status": before},
                after={"status": agreement.status.value, "deadline": agreement.deadline.isoformat()},
            )
            done["dividends_lapsed"] += 1
    return done
