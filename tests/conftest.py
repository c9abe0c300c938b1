"""Fixtures shared by every test: a fresh migrated database per test (SQLite file, or PostgreSQL when
PLEDGEBANK_TEST_DATABASE_URL names a server), the app with a frozen clock, and a browser-like client."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pledgebank import create_app
from pledgebank.clock import Clock
from pledgebank.migrate import upgrade
from tests.support import Outbox, WebClient

PG_ADMIN_URL = os.environ.get("PLEDGEBANK_TEST_DATABASE_URL", "")
ON_POSTGRES = bool(PG_ADMIN_URL)
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
_counter = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip PostgreSQL-only tests, with the reason, when the suite runs on SQLite."""
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set PLEDGEBANK_TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With PLEDGEBANK_FORBID_SKIPS=1 (as in CI's PostgreSQL run), any skipped test fails the run."""
    if not os.environ.get("PLEDGEBANK_FORBID_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"PLEDGEBANK_FORBID_SKIPS: {len(skipped)} test(s) skipped; this run must skip none", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _admin_engine():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per run; each test gets a copy."""
    if ON_POSTGRES:
        name = f"pbt_template_{os.getpid()}"
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        upgrade(_pg_url(name))
        yield name
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        upgrade(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for this test."""
    if ON_POSTGRES:
        name = f"pbt_{os.getpid()}_{next(_counter)}"
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {database_template}"))
        yield _pg_url(name)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    else:
        path = tmp_path / "pledgebank.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def clock() -> Clock:
    """The app's clock, frozen at a fixed instant; tests move it with clock.advance()."""
    return Clock(frozen_at=START)


@pytest.fixture
def app_config(database_url: str, tmp_path: Path, clock: Clock) -> dict:
    """Settings for the test app; a test may change them before asking for `app`."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "BASE_URL": "http://localhost",
        "CLOCK": clock,
    }


@pytest.fixture
def app(app_config: dict):
    """The app, bound to this test's database."""
    application = create_app(app_config)
    yield application
    application.extensions["pledgebank.engine"].dispose()


@pytest.fixture
def outbox(app) -> Outbox:
    """The emails the app has written."""
    return Outbox(Path(app.config["MAIL_OUTBOX"]))


@pytest.fixture
def web(app) -> WebClient:
    """A test client that fills in CSRF tokens the way a browser submitting our forms would."""
    return WebClient(app.test_client())


@pytest.fixture
def sessions(app):
    """The app's session factory, for arranging data and checking results in tests."""
    return app.extensions["pledgebank.sessions"]
