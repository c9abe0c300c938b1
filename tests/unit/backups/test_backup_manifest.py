"""A backup's manifest: written and read back unchanged; anything that is not one, or would reach outside the
backup folder, refused with the reason; files checked by size and SHA-256."""

from __future__ import annotations

import hashlib
import json

import pytest

from pledgebank.backups.manifest import (
    BackupRefused,
    BookHead,
    Manifest,
    check_files,
    describe_files,
    read_manifest,
    write_manifest,
)


def a_backup(folder) -> Manifest:
    (folder / "database.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (folder / "documents" / "outbox").mkdir(parents=True)
    (folder / "documents" / "outbox" / "1.eml").write_bytes(b"Subject: hello\r\n\r\n")
    manifest = Manifest(
        created_at="2026-03-02T10:00:00+00:00",
        database_kind="sqlite",
        database_file="database.sqlite3",
        alembic_revision="0013",
        files=describe_files(folder),
        books=(BookHead(book_id=1, slug="elm-park", last_sequence=12, last_hash="ab" * 32),),
    )
    write_manifest(folder, manifest)
    return manifest


def test_a_manifest_reads_back_as_written_and_its_files_check(tmp_path):
    manifest = a_backup(tmp_path)
    assert read_manifest(tmp_path) == manifest
    assert [entry.path for entry in manifest.files] == ["database.sqlite3", "documents/outbox/1.eml"]
    assert manifest.files[1].sha256 == hashlib.sha256(b"Subject: hello\r\n\r\n").hexdigest()
    assert manifest.heads() == {1: (12, "ab" * 32)}
    check_files(tmp_path, manifest)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(format="something-else"), "format is 'something-else'"),
        (lambda d: d.update(format_version=2), "format version 2 is not 1"),
        (
            lambda d: d["database"].update(kind="mysql"),
            "database kind 'mysql' is not one of sqlite, postgresql",
        ),
        (lambda d: d.update(created_at="yesterday"), "Invalid isoformat string"),
        (lambda d: d["database"].update(file="elsewhere.db"), "'elsewhere.db' is not among the files"),
        (lambda d: d["files"][1].update(path="/etc/passwd"), "'/etc/passwd' is not a plain path"),
        (lambda d: d["files"][1].update(path="documents/../../x"), "'documents/../../x' is not a plain path"),
        (lambda d: d["files"][1].update(path="documents//x"), "'documents//x' is not a plain path"),
        (lambda d: d["books"][0].pop("last_hash"), "'last_hash'"),
        (lambda d: d["books"][0].update(last_sequence="twelve"), "invalid literal for int()"),
    ],
)
def test_a_manifest_that_is_not_one_is_refused_with_the_reason(tmp_path, change, reason):
    a_backup(tmp_path)
    document = json.loads((tmp_path / "manifest.json").read_text())
    change(document)
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    with pytest.raises(BackupRefused, match="is not a PledgeBank backup manifest") as refused:
        read_manifest(tmp_path)
    assert reason in refused.value.message


def test_files_are_checked_by_size_then_checksum_then_for_strays(tmp_path):
    manifest = a_backup(tmp_path)
    email = tmp_path / "documents" / "outbox" / "1.eml"
    email.write_bytes(b"Subject: hello\r\n")
    with pytest.raises(BackupRefused, match=r"1.eml is 16 bytes but the manifest says 18 \(truncated"):
        check_files(tmp_path, manifest)
    email.write_bytes(b"Subject: HELLO\r\n\r\n")
    with pytest.raises(BackupRefused, match=r"1\.eml does not match its SHA-256 in the manifest"):
        check_files(tmp_path, manifest)
    email.write_bytes(b"Subject: hello\r\n\r\n")
    (tmp_path / "documents" / "stray.txt").write_bytes(b"")
    with pytest.raises(
        BackupRefused, match=r"documents/stray\.txt is in the backup folder but not in the manifest"
    ):
        check_files(tmp_path, manifest)
