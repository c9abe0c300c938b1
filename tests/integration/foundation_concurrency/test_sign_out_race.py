"""Signing out the same browser's session from several requests at once, on PostgreSQL with real threads:
every request succeeds, and the session is ended once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from pledgebank.accounts import sessions as sign_ins
from pledgebank.accounts.models import SignedOutSession, User
from pledgebank.db import unit_of_work
from tests.helpers.app import make_user
from tests.helpers.concurrency import pooled_app_config, run_together

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
REQUESTS = 8
ROUNDS = 10


app_config = pooled_app_config(pool_size=REQUESTS + 2)


def test_signing_out_one_session_from_many_requests_at_once_never_fails(sessions):
    user_id = make_user(sessions, "ann@example.org")
    for _ in range(ROUNDS):
        with unit_of_work(sessions) as session:
            session_id = sign_ins.new_session_id(session.get(User, user_id))

        def sign_out(_index: int, session_id=session_id) -> None:
            with unit_of_work(sessions) as session:
                sign_ins.sign_out(session, session_id, now=NOW)

        outcomes = run_together(REQUESTS, sign_out, timeout=60)
        assert [outcome.error for outcome in outcomes] == [None] * REQUESTS
        with unit_of_work(sessions) as session:
            assert sign_ins.user_for_session(session, session_id) is None
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(SignedOutSession)) == ROUNDS
