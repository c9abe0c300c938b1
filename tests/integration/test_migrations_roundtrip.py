"""The migrations build the schema from nothing, take it all down again, rebuild it, and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from pledgebank.books.services import book_by_slug, post
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.migrate import alembic_config, downgrade, upgrade
from pledgebank.models import metadata
from pledgebank.tasks.pg_schema import is_queue_table
from tests.helpers.app import WHEN, make_neighbourhood, make_user


def _tables(engine: Engine) -> set[str]:
    """Our tables (procrastinate's, on PostgreSQL, are its schema's, checked apart)."""
    return {name for name in inspect(engine).get_table_names() if not is_queue_table(name)}


def _queue_tables(engine: Engine) -> set[str]:
    return {name for name in inspect(engine).get_table_names() if is_queue_table(name)}


def _guards(engine: Engine) -> set[str]:
    """Names of the triggers and trigger functions the migrations created."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        triggers = conn.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        functions = conn.scalars(
            text(
                "SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public'"
            )
        )
        return {*triggers, *(f"{name}()" for name in functions)}


def _state(engine: Engine) -> tuple[str | None, list]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"include_name": lambda name, kind, _parent: not (kind == "table" and is_queue_table(name))},
        )
        return context.get_current_revision(), compare_metadata(context, metadata)


def assert_the_ledger_is_guarded(engine: Engine) -> None:
    """Post through the service, then find the database refusing to rewrite what was posted."""
    sessions = make_session_factory(engine)
    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    entry = rules.cash_received(
        amount=Money(1_000, "GBP"),
        fund="general",
        income_source="donations",
        key="round-trip:1",
        on=WHEN.date(),
        source={"receipt": 1},
    )
    with unit_of_work(sessions) as session:
        posted = post(session, book=book_by_slug(session, slug), entry=entry, now=WHEN)
        assert posted.transaction.sequence == 1
    with pytest.raises(IntegrityError, match="ledger_postings is append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE ledger_postings SET amount = amount * 2"))
    with pytest.raises(IntegrityError, match="ledger_seals is append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM ledger_seals"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT sum(amount), count(*) FROM ledger_postings")).one() == (0, 2)


@pytest.fixture
def empty_database(database_url: str):
    """The test's database taken down to nothing, and an engine on it."""
    downgrade(database_url, "base")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_the_migrations_round_trip_agree_with_the_models_and_guard_the_ledger(database_url, empty_database):
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    engine = empty_database
    assert _tables(engine) <= {"alembic_version"}
    assert _guards(engine) == set()
    assert _state(engine)[0] is None

    upgrade(database_url)
    assert _tables(engine) == {*metadata.tables, "alembic_version"}
    queue = {
        "procrastinate_jobs",
        "procrastinate_events",
        "procrastinate_periodic_defers",
        "procrastinate_workers",
    }
    assert _queue_tables(engine) == (queue if engine.dialect.name == "postgresql" else set())
    guards = _guards(engine)
    assert {"ledger_postings_balance", "ledger_seals_check", "ledger_accounts_fixed"} <= guards
    assert _state(engine) == (head, [])

    downgrade(database_url, "base")
    engine.dispose()
    assert _tables(engine) <= {"alembic_version"}
    assert _queue_tables(engine) == set()
    assert _guards(engine) == set()

    upgrade(database_url)
    assert _guards(engine) == guards
    assert _state(engine) == (head, [])
    assert_the_ledger_is_guarded(engine)
