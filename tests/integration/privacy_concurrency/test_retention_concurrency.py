"""Four runs of the retention job at once (PostgreSQL): one run does the work and writes one audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pledgebank.accounts.models import User
from pledgebank.accounts.services import create_user
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.privacy import enforce
from pledgebank.privacy.retention import RetentionPolicy
from tests.helpers.app import PASSWORD
from tests.helpers.concurrency import concurrent_engine, run_together

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_config(app_config: dict, database_url: str) -> dict:
    """An engine that gives every thread its own connection, with lock timeouts so a deadlock fails."""
    engine = concurrent_engine(
        database_url, pool_size=8, lock_timeout_ms=20_000, statement_timeout_ms=40_000, pool_timeout=60
    )
    return {**app_config, "ENGINE": engine}


def test_runs_at_once_take_turns_and_log_one_run(app, sessions, clock):
    with unit_of_work(sessions) as session:
        for n in range(5):
            create_user(
                session, email=f"u{n}@example.org", display_name="U", password=PASSWORD, now=clock.now()
            )
    clock.advance(timedelta(days=31))
    policy = RetentionPolicy.from_config(app.config)

    outcomes = run_together(
        4,
        lambda _i: enforce.run_due(sessions, policy=policy, now=clock.now(), zone="Europe/London"),
        timeout=120,
    )

    assert [o.error for o in outcomes] == [None] * 4
    assert sum(o.value["retention: unverified accounts deleted"] for o in outcomes) == 5
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        runs = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == enforce.ACTION)
        assert session.scalar(runs) == 1
