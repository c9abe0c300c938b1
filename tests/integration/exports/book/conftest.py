"""These suites start from copies of one database holding a generated book of every kind of transaction.

The book (exports_book.py beside this file, 1,100 transactions) is posted once per run through the real
services; each test gets its own copy, as the shared `database_url` fixture does with the empty migrated
database. Read-only tests share one copy per module and the exports made from it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pledgebank import create_app
from pledgebank.clock import Clock
from pledgebank.db import make_engine, make_session_factory
from tests.factories.exports_book import generate_book
from tests.helpers.environment import START
from tests.helpers.ledger_sql import PG_ADMIN_URL, admin, database_copy, pg_url


@pytest.fixture(scope="session")
def exports_template(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The migrated template database with the generated book posted in it."""
    if PG_ADMIN_URL:
        name = f"pbt_exports_template_{os.getpid()}"
        admin(f"DROP DATABASE IF EXISTS {name}")
        admin(f"CREATE DATABASE {name} TEMPLATE {database_template}")
        url = pg_url(name)
    else:
        path = tmp_path_factory.mktemp("exports-template") / "exports.sqlite3"
        shutil.copyfile(database_template, path)
        name, url = str(path), f"sqlite:///{path}"
    engine = make_engine(url)
    generate_book(make_session_factory(engine))
    # Closing the last connection also folds SQLite's write-ahead log into the file that gets copied.
    engine.dispose()
    yield name
    if PG_ADMIN_URL:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def database_url(exports_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the database with the generated book, for this test."""
    with database_copy(exports_template, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def shared_app(exports_template: str, tmp_path_factory: pytest.TempPathFactory):
    """An app on one copy of the generated book for a whole module (for tests that only read)."""
    folder = tmp_path_factory.mktemp("exports-shared")
    with database_copy(exports_template, folder) as url:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                "MAIL_OUTBOX": str(folder / "outbox"),
                "CLOCK": Clock(frozen_at=START),
            }
        )
        yield app
        app.extensions["pledgebank.engine"].dispose()
