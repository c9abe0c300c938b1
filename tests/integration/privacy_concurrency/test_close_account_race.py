"""Closing the same account from several requests at once, on PostgreSQL with real threads: one closes it,
every other is told it is already closed, and the erasure is audited once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.accounts import erasure
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from tests.helpers.app import PASSWORD, WHEN, make_user
from tests.helpers.concurrency import concurrent_engine, run_together

pytestmark = pytest.mark.postgres

REQUESTS = 6


@pytest.fixture
def app_config(app_config: dict, database_url: str) -> dict:
    """A pool with a connection for every thread."""
    engine = concurrent_engine(
        database_url,
        pool_size=REQUESTS + 2,
        lock_timeout_ms=20_000,
        statement_timeout_ms=40_000,
        pool_timeout=60,
    )
    return {**app_config, "ENGINE": engine}


def test_closing_one_account_from_many_requests_at_once_erases_it_once(sessions):
    user_id = make_user(sessions, "rosa.marsh@example.org", "Rosa Marsh")

    def close(_index: int) -> None:
        with unit_of_work(sessions) as session:
            erasure.close_account(session, actor_id=user_id, user_id=user_id, password=PASSWORD, now=WHEN)

    outcomes = run_together(REQUESTS, close, timeout=60)
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert len(errors) == REQUESTS - 1 and all(isinstance(error, Conflict) for error in errors), errors
    with unit_of_work(sessions) as session:
        events = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "account.erased")
        assert session.scalar(events) == 1
