"""Backups and restores: a source app holding books (the shared `app`), and an empty database to restore into
that each test makes and drops (an SQLite path that does not exist yet, or a new PostgreSQL database)."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.ledger_sql import PG_ADMIN_URL, admin, pg_url

_targets = itertools.count(1)


@pytest.fixture(autouse=True)
def pg_tools() -> None:
    """On PostgreSQL the backup runs pg_dump and pg_restore: without them these tests are skipped (CI's
    PostgreSQL run fails on any skip)."""
    if PG_ADMIN_URL:
        missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
        if missing:
            pytest.skip(f"needs {' and '.join(missing)} on PATH (apt-get install postgresql-client)")


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A database URL with nothing in it, to restore into."""
    if PG_ADMIN_URL:
        name = f"pbt_restore_{os.getpid()}_{next(_targets)}"
        admin(f"CREATE DATABASE {name}")
        try:
            yield pg_url(name)
        finally:
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        folder = tmp_path / "restored"
        folder.mkdir()
        yield f"sqlite:///{folder / 'pledgebank.sqlite3'}"
