"""Jobs are written in the transaction that asks for them: a commit keeps them, a rollback (even after a
savepoint inside it was released) takes them away; a key queues the same work once; failures wait longer
each time and end as dead, with their error, until retried by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pledgebank.db import unit_of_work
from pledgebank.outbox import Email, send_after_commit
from tests.helpers.tasks import job_count

HELLO = Email("ann@example.org", "Reset your password", "accounts/reset", {"token": "t0k3n", "name": "Ann"})


class Boom(Exception):
    """What the test makes the transaction fail with."""


def test_an_email_asked_for_in_a_rolled_back_transaction_is_never_sent(app, sessions, outbox):
    with pytest.raises(Boom), unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
        with session.begin_nested():  # a savepoint released inside the transaction is not its commit
            session.execute(text("SELECT 1"))
        raise Boom
    assert job_count(app) == 0
    assert outbox.all() == []


def test_an_email_asked_for_in_a_committed_transaction_is_sent_once(app, sessions, outbox):
    with unit_of_work(sessions) as session:
        send_after_commit(session, HELLO)
        with session.begin_nested():
            session.execute(text("SELECT 1"))
        assert outbox.all() == []  # not before the commit
    assert [mail.to for mail in outbox.all()] == ["ann@example.org"]
    assert job_count(app) == 0  # done, and gone from the queue
