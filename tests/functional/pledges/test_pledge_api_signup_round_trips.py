"""A cash pledge through the API reads the caller's account once and commits once: checking the token is
no transaction of its own (it commits only when it records the token's use, at most every few minutes),
and a refused pledge writes nothing but that record."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from pledgebank.accounts.models import ApiToken
from pledgebank.db import unit_of_work
from tests.helpers.pledge_api import token
from tests.helpers.pledge_pages import make_pledge, people, signup_of


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Separate workers, as in production: the request's email is queued, not sent by the request."""
    return {**app_config, "TASK_WORKER": "separate"}


class Seen:
    """The statements and commits the app's engine runs while counting."""

    def __init__(self, app) -> None:
        self.engine = app.extensions["pledgebank.engine"]
        self.statements: list[str] = []
        self.commits = 0

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(" ".join(statement.split()))

    def _commit(self, _conn) -> None:
        self.commits += 1

    def __enter__(self) -> Seen:
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)

    def loads_of(self, table: str) -> list[str]:
        """The SELECTs that load rows of `table` by their id (an object's load, not a join's names)."""
        return [s for s in self.statements if s.startswith(f"SELECT {table}.id, ") and f" FROM {table} " in s]


def test_a_cash_pledge_reads_the_account_once_and_commits_once(app, sessions):
    world = people(sessions, "ann")
    first = make_pledge(app, world.slug, world.ids["chair"])
    second = make_pledge(app, world.slug, world.ids["chair"], title="Paint the bus shelter")
    headers = token(sessions, world.ids["ann"])
    client = app.test_client()
    # A token used for the first time records when; the next call within minutes has nothing to record.
    assert (
        client.post(f"/api/v1/pledges/{first}/signups", json={"method": "cash"}, headers=headers).status_code
        == 201
    )
    with Seen(app) as seen:
        answer = client.post(f"/api/v1/pledges/{second}/signups", json={"method": "cash"}, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    assert seen.commits == 1, seen.statements
    assert len(seen.loads_of("users")) == 1, seen.loads_of("users")
    assert signup_of(sessions, second, world.ids["ann"]).status == "cash_promised"


def test_a_refused_pledge_writes_nothing(app, sessions):
    world = people(sessions, "ann")
    pledge = make_pledge(app, world.slug, world.ids["chair"], allow_cash=False)
    headers = token(sessions, world.ids["ann"])
    answer = app.test_client().post(
        f"/api/v1/pledges/{pledge}/signups", json={"method": "cash"}, headers=headers
    )
    assert answer.status_code == 422 and "method" in answer.get_json()["fields"]
    assert signup_of(sessions, pledge, world.ids["ann"]) is None
    with unit_of_work(sessions) as session:
        assert session.scalar(select(ApiToken.last_used_at)) is not None  # the token's use is still recorded
