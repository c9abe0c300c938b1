"""SQLite: a copy through SQLite's online backup API, and a restore that only replaces an empty file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from pledgebank.backups.manifest import BackupRefused


def database_path(url: str) -> Path:
    """The file an SQLite URL names; BackupRefused for an in-memory database."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise BackupRefused("the database is in memory: there is no file to back up or restore into")
    return Path(name)


def copy_database(url: str, destination: Path) -> None:
    """Copy the live database into destination in one step of the backup API: a consistent state even
    while other connections write (in WAL mode they carry on; the copy is what was committed when it began).

    The copy is left in rollback-journal mode so that it is a single self-contained file."""
    path = database_path(url)
    if not path.is_file():
        raise BackupRefused(f"there is no database file at {path}")
    source = sqlite3.connect(path, timeout=30)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
        source.close()


@contextmanager
def reading(path: Path) -> Iterator[Engine]:
    """An engine on an SQLite file for reading it back (no WAL, no pragmas that would write)."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


def refuse_unless_empty(url: str) -> Path:
    """The target file, which must be missing, empty, or hold no tables; BackupRefused otherwise."""
    path = database_path(url)
    if not path.exists() or path.stat().st_size == 0:
        return path
    with contextlib.closing(sqlite3.connect(path)) as connection:
        try:
            count = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupRefused(f"the target {path} is not an empty database ({error})") from None
    if count:
        raise BackupRefused(
            f"the target database {path} is not empty ({count} schema objects): "
            "restore only into an empty one"
        )
    return path


def stage(dump: Path, target: Path) -> Path:
    """A copy of the backed-up file beside the target, to be checked before it takes the target's place."""
    staged = target.with_name(f".{target.name}.restoring")
    staged.unlink(missing_ok=True)
    with dump.open("rb") as source, staged.open("xb") as copy:
        while chunk := source.read(1 << 20):
            copy.write(chunk)
        copy.flush()
        os.fsync(copy.fileno())
    return staged


def put_in_place(staged: Path, target: Path) -> None:
    """Move the checked copy onto the target path, replacing the empty file (and any leftover journal)."""
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(staged, target)
