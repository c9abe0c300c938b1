"""Helpers for the backup tests: books posted through the real services, apps on other databases, the CLI."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from pledgebank import create_app
from pledgebank.backups.heads import book_heads
from pledgebank.backups.manifest import BookHead
from pledgebank.books.services import book_by_slug, post
from pledgebank.cli import main
from pledgebank.db import make_engine, unit_of_work
from pledgebank.ledger import rules
from tests.helpers.app import WHEN, make_neighbourhood, make_user
from tests.helpers.ledger_sql import DAY, PG_ADMIN_URL, admin, gbp, pg_url, standard_entries
from tests.helpers.ledger_tampering import run, tampering

_scratch = itertools.count(1)


def books_with_money(app) -> tuple[int, list[str]]:
    """Two neighbourhoods' books, each with the standard seven entries; the chair's id and the slugs."""
    sessions = app.extensions["pledgebank.sessions"]
    chair_id = make_user(sessions, "chair@example.org", "Chair Person")
    slugs = [
        make_neighbourhood(sessions, chair_id, name="Lordship Lane", district="SE22"),
        make_neighbourhood(sessions, chair_id, name="Oak Hill", district="SE23"),
    ]
    for slug in slugs:
        with unit_of_work(sessions) as session:
            book = book_by_slug(session, slug)
            for entry in standard_entries(chair_id):
                post(session, book=book, entry=entry, now=WHEN)
    return chair_id, slugs


def post_donation(app, slug: str, chair_id: int, number: int) -> None:
    """One cash donation, posted in its own unit of work through the ledger rule."""
    sessions = app.extensions["pledgebank.sessions"]
    entry = rules.cash_received(
        amount=gbp(100 + number),
        fund="general",
        income_source="donations",
        key=f"busy:{slug}:{number}",
        on=DAY - timedelta(days=1),
        source={"busy": number},
        actor_id=chair_id,
    )
    with unit_of_work(sessions) as session:
        post(session, book=book_by_slug(session, slug), entry=entry, now=WHEN)


@contextmanager
def money_coming_in(
    app, slugs: list[str], actor_id: int, *, before: int = 6, after: int = 6
) -> Iterator[list]:
    """Post donations from another thread, round the books: `before` are in when the block starts, and
    `after` more after it ends; yields the numbers posted so far."""
    posted: list[int] = []
    stop_after: list[int] = []
    under_way = threading.Event()
    failures: list[BaseException] = []

    def keep_posting() -> None:
        number = 0
        try:
            while not stop_after or len(posted) < stop_after[0]:
                post_donation(app, slugs[number % len(slugs)], actor_id, number)
                posted.append(number)
                number += 1
                if number == before:
                    under_way.set()
        except BaseException as error:  # re-raised by the caller's thread below
            failures.append(error)
            under_way.set()

    writer = threading.Thread(target=keep_posting)
    writer.start()
    try:
        assert under_way.wait(timeout=60), "no money was posted"
        yield posted
        stop_after.append(len(posted) + after)
    finally:
        stop_after.append(0)
        writer.join(timeout=120)
    assert not failures, failures


def app_on(url: str, outbox: Path, clock, documents: Path | None = None):
    """An app on another database (the restore target) with its own outbox folder, and the document store
    given (a backup holds the database and the emails; documents stay in their own store)."""
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "MAIL_OUTBOX": str(outbox),
            "DOCUMENT_DIR": str(documents or outbox.parent / "documents"),
            "BASE_URL": "http://localhost",
            "CLOCK": clock,
        }
    )


def cli(app, *args: str):
    """Run a `pledgebank` command against app."""
    return app.test_cli_runner().invoke(main, list(args))


def heads_of(url: str) -> tuple[BookHead, ...]:
    """Every book's chain head in the database at url."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return book_heads(connection)
    finally:
        engine.dispose()


def table_names(url: str) -> list[str]:
    """The tables in the database at url (none in an empty one)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return sorted(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    """How many rows every table holds."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608
                for name in sorted(inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


def manifest_of(folder: Path) -> dict:
    """The backup's manifest as JSON."""
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def only_backup(into: Path) -> Path:
    """The one backup folder written into `into`."""
    (folder,) = [path for path in into.iterdir() if path.is_dir()]
    return folder


def alter_backed_up_books(dump: Path, statement: str) -> None:
    """Run one statement on the ledger in a backup's database file with its guards off, as someone altering
    a backup would: on SQLite in the file; on PostgreSQL in a scratch database restored and dumped back."""
    if not PG_ADMIN_URL:
        connection = sqlite3.connect(dump)
        connection.execute("DROP TRIGGER ledger_postings_no_update")
        connection.execute(statement)
        connection.commit()
        connection.close()
        return
    name = f"pbt_scratch_{os.getpid()}_{next(_scratch)}"
    admin(f"CREATE DATABASE {name}")
    uri = pg_url(name).replace("postgresql+psycopg", "postgresql")
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={uri}", str(dump)], check=True)
        engine = make_engine(pg_url(name))
        with tampering(engine) as conn:
            run(conn, statement)
        engine.dispose()
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", f"--dbname={uri}"], check=True)
    finally:
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
