"""Every test here starts from a copy of one database holding a book of eight sealed transactions.

The book is posted once per run through the real services (a chair, a neighbourhood, seven entries and
the reversal of the last; a treasurer, a committee member and a resident of the neighbourhood, and a user
who is not a member), then each test gets its own copy, as the shared `database_url` fixture does with the
empty migrated database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from pledgebank.books.services import book_by_slug, post, reverse
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from tests.helpers.app import WHEN, add_member, make_neighbourhood, make_user
from tests.helpers.ledger_sql import (
    CHAIR,
    DAY,
    PEOPLE,
    PG_ADMIN_URL,
    LedgerBook,
    admin,
    database_copy,
    load_book,
    pg_url,
    standard_entries,
)


def _post_the_book(url: str) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    chair_id = make_user(sessions, CHAIR, "Chair Person")
    slug = make_neighbourhood(sessions, chair_id, name="Lordship Lane", district="SE22")
    for role in ("treasurer", "committee", "resident"):
        user_id = make_user(sessions, PEOPLE[role], role.title())
        add_member(sessions, slug, user_id, *([] if role == "resident" else [role]))
    make_user(sessions, PEOPLE["outsider"], "Outsider")
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, slug)
        for entry in standard_entries(chair_id):
            post(session, book=book, entry=entry, now=WHEN)
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, slug)
        levy = session.execute(
            text("SELECT id FROM ledger_transactions WHERE idempotency_key = 't:levy:1'")
        ).scalar_one()
        reverse(
            session,
            book=book,
            transaction_id=levy,
            on=DAY,
            actor_id=chair_id,
            reason_code="raised-in-error",
            now=WHEN,
        )
    # Closing the last connection also folds SQLite's write-ahead log into the file that gets copied.
    engine.dispose()


@pytest.fixture(scope="session")
def ledger_template(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The migrated template database with the book posted in it."""
    if PG_ADMIN_URL:
        name = f"pbt_ledger_template_{os.getpid()}"
        admin(f"DROP DATABASE IF EXISTS {name}")
        admin(f"CREATE DATABASE {name} TEMPLATE {database_template}")
        _post_the_book(pg_url(name))
        yield name
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        path = tmp_path_factory.mktemp("ledger-template") / "ledger.sqlite3"
        shutil.copyfile(database_template, path)
        _post_the_book(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def database_url(ledger_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the database with the book, for this test."""
    with database_copy(ledger_template, tmp_path) as url:
        yield url


@pytest.fixture
def engine(app) -> Engine:
    """The app's engine: the same connection settings (foreign keys, write locks) the service uses."""
    return app.extensions["pledgebank.engine"]


@pytest.fixture
def ledger_book(engine) -> LedgerBook:
    """The ids of the book, its accounts and its transactions, and its chain head's hash."""
    return load_book(engine)


@pytest.fixture(scope="module")
def shared_engine(ledger_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine set up as the app sets up its own, on one copy of the book for a whole module.

    For tests that leave the database as they found it: each asserts so, or rolls its changes back.
    """
    with database_copy(ledger_template, tmp_path_factory.mktemp("shared")) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def shared_book(shared_engine: Engine) -> LedgerBook:
    """The ids of the shared copy's book."""
    return load_book(shared_engine)
