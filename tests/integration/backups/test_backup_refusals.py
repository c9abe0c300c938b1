"""Restores that must not happen: into a database that is not empty, from a truncated or altered backup, of
books that fail `ledger verify`, or whose chain heads are not the manifest's. Each is refused with the
reason; the target is left empty (or emptied again) and no document is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pledgebank.backups.manifest import describe_files
from tests.helpers.backups import (
    alter_backed_up_books,
    app_on,
    books_with_money,
    cli,
    manifest_of,
    only_backup,
    table_names,
)
from tests.helpers.ledger_sql import PG_ADMIN_URL, pg_url
from tests.helpers.ledger_tampering import run, tampering

DATABASE_FILE = "database.pgdump" if PG_ADMIN_URL else "database.sqlite3"


@pytest.fixture
def backup(app, tmp_path) -> Path:
    """A backup of two books and one stored email."""
    books_with_money(app)
    outbox = Path(app.config["MAIL_OUTBOX"])
    outbox.mkdir(exist_ok=True)
    (outbox / "0001-receipt.eml").write_bytes(b"Subject: Your receipt\r\n\r\nThank you.\r\n")
    made = cli(app, "backup", "--into", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    return only_backup(tmp_path / "backups")


@pytest.fixture
def target(empty_url, tmp_path, clock):
    """An app on the empty database, with an empty outbox folder of its own."""
    application = app_on(empty_url, tmp_path / "restored-outbox", clock)
    yield application
    application.extensions["pledgebank.engine"].dispose()


def refused(target, folder: Path, reason: str) -> None:
    """The restore exits 1 saying why, and leaves the target database and outbox empty."""
    result = cli(target, "restore", str(folder))
    assert result.exit_code == 1, result.output
    assert result.output.startswith("not restored: "), result.output
    assert reason in result.output
    assert table_names(target.config["DATABASE_URL"]) == []
    outbox = Path(target.config["MAIL_OUTBOX"])
    assert not outbox.exists() or not any(outbox.iterdir())


def rewrite_checksums(folder: Path) -> None:
    """Recompute the manifest's file list, as someone altering a backup on purpose would."""
    manifest = manifest_of(folder)
    manifest["files"] = [
        {"path": entry.path, "size": entry.size, "sha256": entry.sha256} for entry in describe_files(folder)
    ]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_truncated_database_file_is_refused_before_anything_is_restored(backup, target):
    dump = backup / DATABASE_FILE
    size = dump.stat().st_size
    dump.write_bytes(dump.read_bytes()[: size // 2])
    refused(target, backup, f"{DATABASE_FILE} is {size // 2} bytes but the manifest says {size} (truncated")


def test_an_altered_byte_is_refused_by_its_checksum(backup, target):
    dump = backup / DATABASE_FILE
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))
    refused(target, backup, f"{DATABASE_FILE} does not match its SHA-256 in the manifest (altered)")


def test_an_altered_document_is_refused(backup, target):
    (backup / "documents/outbox/0001-receipt.eml").write_bytes(b"Subject: Your receipt\r\n\r\nThank yoU.\r\n")
    refused(target, backup, "documents/outbox/0001-receipt.eml does not match its SHA-256")


def test_a_missing_or_extra_file_is_refused(backup, target):
    (backup / "documents/outbox/0002-planted.eml").write_bytes(b"planted")
    refused(
        target, backup, "documents/outbox/0002-planted.eml is in the backup folder but not in the manifest"
    )
    (backup / "documents/outbox/0002-planted.eml").unlink()
    (backup / "documents/outbox/0001-receipt.eml").unlink()
    refused(target, backup, "documents/outbox/0001-receipt.eml is missing from the backup")


def test_a_truncated_or_foreign_manifest_is_refused(backup, target, tmp_path):
    text = (backup / "manifest.json").read_text(encoding="utf-8")
    (backup / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    refused(target, backup, "manifest.json is not readable JSON (truncated or altered?)")
    (backup / "manifest.json").write_text(text.replace('"format_version": 1', '"format_version": 2'))
    refused(target, backup, "manifest.json is not a PledgeBank backup manifest: format version 2 is not 1")
    (backup / "manifest.json").write_text(text.replace(f'"path": "{DATABASE_FILE}"', '"path": "../escape"'))
    refused(target, backup, "file path '../escape' is not a plain path inside the backup")
    empty = tmp_path / "not-a-backup"
    empty.mkdir()
    refused(target, empty, "holds no manifest.json: it is not a finished backup")


def test_books_that_fail_ledger_verify_are_refused_and_the_restore_removed(app, backup, target, tmp_path):
    """Someone with the database's keys altered a posting before the backup: the copy is faithful, its
    checksums agree, and the restore still refuses it because the books do not verify."""
    with tampering(app.extensions["pledgebank.engine"]) as conn:
        run(conn, "UPDATE ledger_postings SET amount = amount + 1 WHERE line = 1 AND transaction_id = 2")
    made = cli(app, "backup", "--into", str(tmp_path / "later"))
    assert made.exit_code == 0, made.output
    later = only_backup(tmp_path / "later")
    refused(
        target, later, "ledger verify failed on the restored database: lordship-lane: first bad sequence 2"
    )
    refused(target, later, "; the restored database was removed")


def test_an_altered_copy_with_recomputed_checksums_is_refused_by_ledger_verify(backup, target):
    alter_backed_up_books(
        backup / DATABASE_FILE,
        "UPDATE ledger_postings SET amount = amount + 500 WHERE transaction_id = 3",
    )
    rewrite_checksums(backup)
    refused(
        target, backup, "ledger verify failed on the restored database: lordship-lane: first bad sequence 3"
    )


def test_a_chain_head_other_than_the_manifests_is_refused_and_the_restore_removed(backup, target):
    manifest = manifest_of(backup)
    manifest["books"][1]["last_sequence"] = 6
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused(target, backup, "book 2: the restored chain head oak-hill #7 ")
    refused(target, backup, "is not the manifest's oak-hill #6")
    refused(target, backup, "the restored database was removed")


def test_a_database_that_is_not_empty_is_refused_and_left_as_it_was(app, backup, target):
    before = table_names(app.config["DATABASE_URL"])
    result = cli(app, "restore", str(backup))
    assert result.exit_code == 1
    assert "is not empty" in result.output and "restore only into an empty one" in result.output
    assert table_names(app.config["DATABASE_URL"]) == before
    assert cli(app, "ledger", "verify").exit_code == 0


def test_an_outbox_that_is_not_empty_is_refused_before_the_database_is_touched(backup, target):
    outbox = Path(target.config["MAIL_OUTBOX"])
    outbox.mkdir()
    (outbox / "0001-other.eml").write_bytes(b"someone else's")
    result = cli(target, "restore", str(backup))
    assert result.exit_code == 1
    assert f"the outbox folder {outbox} is not empty: restore only into an empty one" in result.output
    assert table_names(target.config["DATABASE_URL"]) == []
    assert [path.name for path in outbox.iterdir()] == ["0001-other.eml"]


def test_a_backup_of_the_other_kind_of_database_is_refused(backup, target):
    manifest = manifest_of(backup)
    other = "sqlite" if PG_ADMIN_URL else "postgresql"
    manifest["database"]["kind"] = other
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    mine = "postgresql" if PG_ADMIN_URL else "sqlite"
    refused(target, backup, f"this is a {other} backup; the target database is {mine}")


def test_a_database_that_is_not_there_is_not_backed_up(tmp_path, clock):
    if PG_ADMIN_URL:
        url, reason = pg_url("pbt_no_such_database"), "cannot connect to the database pbt_no_such_database: "
    else:
        url, reason = f"sqlite:///{tmp_path / 'none.sqlite3'}", f"there is no database file at {tmp_path}"
    nowhere = app_on(url, tmp_path / "outbox", clock)
    made = cli(nowhere, "backup", "--into", str(tmp_path / "backups"))
    assert made.exit_code == 1
    assert made.output.startswith(f"no backup made: {reason}"), made.output
    assert not (tmp_path / "none.sqlite3").exists()
    assert list((tmp_path / "backups").iterdir()) == []
