"""Making a backup folder and restoring one: the orchestration, without Flask.

A backup folder holds the database (an SQLite file, or a `pg_dump -Fc` file), the stored documents under
`documents/<area>/`, and `manifest.json`. It is written under a hidden name and renamed when complete, so a
folder with the backup's name is always a finished one.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from pledgebank.backups import postgres_dump, sqlite_file
from pledgebank.backups.heads import alembic_revision, book_heads
from pledgebank.backups.manifest import (
    BackupRefused,
    BookHead,
    Manifest,
    check_files,
    describe_files,
    read_manifest,
    write_manifest,
)
from pledgebank.books.verify import BookCheck, check_books

NAME_PATTERN = re.compile(r"^pledgebank-\d{8}T\d{6}Z$")
DOCUMENTS = "documents"
_DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def database_kind(url: str) -> str:
    """'sqlite' or 'postgresql' for a database URL; BackupRefused for any other."""
    for kind in _DATABASE_FILES:
        if url.startswith(kind):
            return kind
    raise BackupRefused(f"backups support SQLite and PostgreSQL databases, not {url.split(':', 1)[0]}")


def make_backup(*, url: str, documents: Mapping[str, Path], into: Path, now: datetime) -> Path:
    """Back up the database and the document folders into a new folder under `into`; its path."""
    kind = database_kind(url)
    name = f"pledgebank-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    final = into / name
    if final.exists():
        raise BackupRefused(f"{final} already exists")
    into.mkdir(parents=True, exist_ok=True)
    work = into / f".{name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        database_file = _DATABASE_FILES[kind]
        heads, revision = _copy_database(kind, url, work / database_file)
        for area, folder in sorted(documents.items()):
            if folder.is_dir():
                shutil.copytree(folder, work / DOCUMENTS / area, dirs_exist_ok=False)
        manifest = Manifest(
            created_at=now.astimezone(UTC).isoformat(),
            database_kind=kind,
            database_file=database_file,
            alembic_revision=revision,
            files=describe_files(work),
            books=heads,
        )
        write_manifest(work, manifest)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _copy_database(kind: str, url: str, destination: Path) -> tuple[tuple[BookHead, ...], str | None]:
    if kind == "postgresql":
        return postgres_dump.dump_database(url, destination)
    sqlite_file.copy_database(url, destination)
    with sqlite_file.reading(destination) as engine, engine.connect() as connection:
        return book_heads(connection), alembic_revision(connection)


def prune(into: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` finished backups in `into`; the ones deleted, oldest first."""
    finished = sorted(
        path
        for path in into.iterdir()
        if path.is_dir() and NAME_PATTERN.match(path.name) and (path / "manifest.json").is_file()
    )
    doomed = finished[: max(len(finished) - keep, 0)]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore put back."""

    manifest: Manifest
    books: tuple[BookHead, ...]
    documents: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def restore_backup(*, folder: Path, url: str, documents: Mapping[str, Path]) -> Restored:
    """Restore a backup into an empty database and empty document folders.

    The manifest's checksums are checked before anything is touched; if `ledger verify` fails on the restored
    books, or their chain heads or migration differ from the manifest's, the restored database is removed and
    BackupRefused says why."""
    manifest = read_manifest(folder)
    check_files(folder, manifest)
    kind = database_kind(url)
    if kind != manifest.database_kind:
        raise BackupRefused(f"this is a {manifest.database_kind} backup; the target database is {kind}")
    areas = _document_areas(manifest)
    for area in areas:
        target = documents.get(area)
        if target is not None and target.is_dir() and any(target.iterdir()):
            raise BackupRefused(f"the {area} folder {target} is not empty: restore only into an empty one")
    dump = folder / manifest.database_file
    if kind == "postgresql":
        postgres_dump.refuse_unless_empty(url)
        postgres_dump.restore_database(dump, url)
        books = _check_restored(url, manifest, remove=lambda: postgres_dump.remove_restored(url))
    else:
        target = sqlite_file.refuse_unless_empty(url)
        staged = sqlite_file.stage(dump, target)
        books = _check_restored(f"sqlite:///{staged}", manifest, remove=lambda: staged.unlink())
        sqlite_file.put_in_place(staged, target)
    restored, skipped = {}, {}
    for area, count in areas.items():
        target = documents.get(area)
        if target is None:
            skipped[area] = count
            continue
        shutil.copytree(folder / DOCUMENTS / area, target, dirs_exist_ok=True)
        restored[area] = count
    return Restored(manifest=manifest, books=books, documents=restored, skipped=skipped)


def _document_areas(manifest: Manifest) -> dict[str, int]:
    areas: dict[str, int] = {}
    for entry in manifest.files:
        parts = entry.path.split("/")
        if parts[0] == DOCUMENTS and len(parts) > 2:
            areas[parts[1]] = areas.get(parts[1], 0) + 1
    return areas


def _check_restored(url: str, manifest: Manifest, *, remove) -> tuple[BookHead, ...]:
    """Verify the restored books and compare them with the manifest; remove the restore if they fail."""
    try:
        problems, books, revision = _inspect(url)
        if problems:
            raise BackupRefused(f"ledger verify failed on the restored database: {problems[0]}")
        if revision != manifest.alembic_revision:
            raise BackupRefused(
                f"the restored database is at migration {revision}, "
                f"not the manifest's {manifest.alembic_revision}"
            )
        expected = {head.book_id: head for head in manifest.books}
        found = {head.book_id: head for head in books}
        for book_id in sorted(set(expected) | set(found)):
            if expected.get(book_id) != found.get(book_id):
                raise BackupRefused(
                    f"book {book_id}: the restored chain head {_head(found.get(book_id))} is not "
                    f"the manifest's {_head(expected.get(book_id))}"
                )
    except BackupRefused as error:
        remove()
        raise BackupRefused(f"{error.message}; the restored database was removed") from None
    except BaseException:
        remove()
        raise
    return books


def _head(head: BookHead | None) -> str:
    return "(none)" if head is None else f"{head.slug} #{head.last_sequence} {head.last_hash[:16]}"


def _inspect(url: str) -> tuple[list[str], tuple[BookHead, ...], str | None]:
    """`ledger verify` over every restored book (problems one line each), the chain heads, the migration."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            problems = [_problem(check) for check in check_books(session) if not check.ok]
        with engine.connect() as connection:
            return problems, book_heads(connection), alembic_revision(connection)
    finally:
        engine.dispose()


def _problem(check: BookCheck) -> str:
    first = check.first_problem
    assert first is not None  # asked only of a book that failed
    where = f"first bad sequence {first.sequence}" if first.sequence is not None else "not tied to a sequence"
    return f"{check.book.slug}: {where}: {first.message}"
