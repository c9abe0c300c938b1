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
from tests.helpers.concurrency import pooled_app_config, run_together

pytestmark = pytest.mark.postgres

REQUESTS = 6


app_config = pooled_app_config(pool_size=REQUESTS + 2)


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
