"""Time-driven examiner work for `run-due`: appointments lapse once their examination period is over."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.examiners.services import lapse_due


def run_due(sessions: sessionmaker[Session], *, now: datetime, zone: str) -> Counter[str]:
    """Lapse every appointment whose examination period ended before today (safe to run twice at once)."""
    with unit_of_work(sessions) as session:
        lapsed = lapse_due(session, now=now, today=local_date(now, zone))
    return Counter({"examiner_appointments_lapsed": lapsed} if lapsed else {})
