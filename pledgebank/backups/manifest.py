"""A backup's manifest: what it holds, each file's SHA-256, and every book's chain head at the copy's moment.

Standard library only: reading and checking a backup needs neither the app nor a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

FORMAT = "pledgebank-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_KINDS = ("sqlite", "postgresql")
_CHUNK = 1 << 20


class BackupRefused(Exception):
    """A backup or restore that must not go ahead; the message says why, in one line for the operator."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class BookHead:
    """A book's last sealed sequence number and hash (hex) in the copy."""

    book_id: int
    slug: str
    last_sequence: int
    last_hash: str


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of the backup, by its path inside the backup folder."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup holds."""

    created_at: str
    database_kind: str
    database_file: str
    alembic_revision: str | None
    files: tuple[FileEntry, ...]
    books: tuple[BookHead, ...]

    def to_json(self) -> str:
        """The manifest as the backup stores it."""
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at,
            "database": {
                "kind": self.database_kind,
                "file": self.database_file,
                "alembic_revision": self.alembic_revision,
            },
            "files": [asdict(entry) for entry in self.files],
            "books": [asdict(head) for head in self.books],
        }
        return json.dumps(document, indent=2, sort_keys=False) + "\n"

    def heads(self) -> dict[int, tuple[int, str]]:
        """Each book's (last sequence, last hash) by book id."""
        return {head.book_id: (head.last_sequence, head.last_hash) for head in self.books}


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def describe_files(folder: Path) -> tuple[FileEntry, ...]:
    """Every file under folder (except the manifest), with its size and SHA-256, in a stable order."""
    return tuple(
        FileEntry(
            path=relative, size=(folder / relative).stat().st_size, sha256=file_sha256(folder / relative)
        )
        for relative in sorted(_files_under(folder))
    )


def _files_under(folder: Path) -> Iterator[str]:
    for path in folder.rglob("*"):
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST_NAME:
            yield path.relative_to(folder).as_posix()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Store the manifest in the backup folder."""
    (folder / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")


def read_manifest(folder: Path) -> Manifest:
    """The backup's manifest, or BackupRefused saying why it cannot be read."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise BackupRefused(f"{folder} holds no {MANIFEST_NAME}: it is not a finished backup")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupRefused(
            f"{MANIFEST_NAME} is not readable JSON (truncated or altered?): {error}"
        ) from None
    try:
        return _parse(document)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupRefused(f"{MANIFEST_NAME} is not a PledgeBank backup manifest: {error}") from None


def _parse(document: dict) -> Manifest:
    if document.get("format") != FORMAT:
        raise ValueError(f"format is {document.get('format')!r}, not {FORMAT!r}")
    if document.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format version {document.get('format_version')!r} is not {FORMAT_VERSION}")
    database = document["database"]
    if database["kind"] not in DATABASE_KINDS:
        raise ValueError(f"database kind {database['kind']!r} is not one of {', '.join(DATABASE_KINDS)}")
    datetime.fromisoformat(document["created_at"])
    files = tuple(
        FileEntry(path=_safe_path(entry["path"]), size=int(entry["size"]), sha256=str(entry["sha256"]))
        for entry in document["files"]
    )
    books = tuple(
        BookHead(
            book_id=int(head["book_id"]),
            slug=str(head["slug"]),
            last_sequence=int(head["last_sequence"]),
            last_hash=str(head["last_hash"]),
        )
        for head in document["books"]
    )
    if database["file"] not in {entry.path for entry in files}:
        raise ValueError(f"the database file {database['file']!r} is not among the files")
    return Manifest(
        created_at=document["created_at"],
        database_kind=database["kind"],
        database_file=database["file"],
        alembic_revision=database["alembic_revision"],
        files=files,
        books=books,
    )


def _safe_path(text: str) -> str:
    """A relative path inside the backup folder; ValueError for one that would leave it."""
    path = PurePosixPath(text)
    if not text or path.is_absolute() or ".." in path.parts or path.as_posix() != text:
        raise ValueError(f"file path {text!r} is not a plain path inside the backup")
    return text


def check_files(folder: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is there with its size and SHA-256, and no other file is;
    BackupRefused naming the first one that is not."""
    listed = {entry.path for entry in manifest.files}
    for entry in manifest.files:
        path = folder / entry.path
        if not path.is_file():
            raise BackupRefused(f"{entry.path} is missing from the backup")
        size = path.stat().st_size
        if size != entry.size:
            raise BackupRefused(
                f"{entry.path} is {size} bytes but the manifest says {entry.size} (truncated or altered)"
            )
        if file_sha256(path) != entry.sha256:
            raise BackupRefused(f"{entry.path} does not match its SHA-256 in the manifest (altered)")
    extra = sorted(set(_files_under(folder)) - listed)
    if extra:
        raise BackupRefused(f"{extra[0]} is in the backup folder but not in the manifest")
