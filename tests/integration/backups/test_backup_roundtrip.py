"""`pledgebank backup` then `pledgebank restore` into an empty database: the same books, chain heads equal to
the manifest's, `ledger verify` passing, the stored documents back; and a backup taken while money is being
posted is one consistent moment of the books."""

from __future__ import annotations

from datetime import timedelta

from pledgebank.backups.manifest import file_sha256
from pledgebank.migrate import head_revision
from tests.helpers.backups import (
    app_on,
    books_with_money,
    cli,
    heads_of,
    manifest_of,
    money_coming_in,
    only_backup,
    row_counts,
)
from tests.helpers.ledger_sql import PG_ADMIN_URL


def test_a_backup_restored_into_an_empty_database_has_the_same_books_and_documents(
    app, clock, tmp_path, empty_url
):
    books_with_money(app)
    outbox = tmp_path / "outbox"
    outbox.mkdir(exist_ok=True)
    (outbox / "0001-receipt.eml").write_bytes(b"Subject: Your receipt\r\n\r\nThank you.\r\n")
    made = cli(app, "backup", "--into", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    folder = only_backup(tmp_path / "backups")
    assert folder.name == "pledgebank-20260302T100000Z"
    assert made.output == f"backed up to {folder}\n"

    manifest = manifest_of(folder)
    kind = "postgresql" if PG_ADMIN_URL else "sqlite"
    database_file = "database.pgdump" if PG_ADMIN_URL else "database.sqlite3"
    assert manifest["format"] == "pledgebank-backup" and manifest["format_version"] == 1
    assert manifest["created_at"] == "2026-03-02T10:00:00+00:00"
    assert manifest["database"] == {"kind": kind, "file": database_file, "alembic_revision": head_revision()}
    files = {entry["path"]: entry for entry in manifest["files"]}
    assert sorted(files) == [database_file, "documents/outbox/0001-receipt.eml"]
    for path, entry in files.items():
        assert entry["sha256"] == file_sha256(folder / path)
        assert entry["size"] == (folder / path).stat().st_size
    source_heads = heads_of(app.config["DATABASE_URL"])
    assert [(h["slug"], h["last_sequence"]) for h in manifest["books"]] == [
        ("lordship-lane", 7),
        ("oak-hill", 7),
    ]
    assert [h["last_hash"] for h in manifest["books"]] == [head.last_hash for head in source_heads]

    target = app_on(empty_url, tmp_path / "restored-outbox", clock)
    restored = cli(target, "restore", str(folder))
    assert restored.exit_code == 0, restored.output
    assert "checked 2 file(s) against the manifest of 2026-03-02T10:00:00+00:00" in restored.output
    assert f"ok    lordship-lane: chain head #7 {source_heads[0].last_hash[:16]} as in the manifest" in (
        restored.output
    )
    assert "restored 1 outbox file(s)" in restored.output
    assert "restored 2 book(s); ledger verify passed" in restored.output
    assert heads_of(empty_url) == source_heads
    assert row_counts(empty_url) == row_counts(app.config["DATABASE_URL"])
    assert (tmp_path / "restored-outbox" / "0001-receipt.eml").read_bytes() == (
        outbox / "0001-receipt.eml"
    ).read_bytes()
    verified = cli(target, "ledger", "verify")
    assert verified.exit_code == 0, verified.output
    assert "2 book(s) checked, 0 failed" in verified.output
    target.extensions["pledgebank.engine"].dispose()


def test_a_backup_taken_while_money_is_posted_restores_to_the_chain_heads_it_records(
    app, clock, tmp_path, empty_url
):
    chair_id, slugs = books_with_money(app)
    with money_coming_in(app, slugs, chair_id):
        made = cli(app, "backup", "--into", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    folder = only_backup(tmp_path / "backups")
    recorded = {head["slug"]: head["last_sequence"] for head in manifest_of(folder)["books"]}
    final = {head.slug: head.last_sequence for head in heads_of(app.config["DATABASE_URL"])}
    assert sum(recorded.values()) >= 14 + 6  # the seven standard entries per book, then the donations
    assert sum(final.values()) > sum(recorded.values())  # money kept coming after the copy's moment

    target = app_on(empty_url, tmp_path / "restored-outbox", clock)
    restored = cli(target, "restore", str(folder))
    assert restored.exit_code == 0, restored.output
    assert {head.slug: head.last_sequence for head in heads_of(empty_url)} == recorded
    hashes = [head["last_hash"] for head in manifest_of(folder)["books"]]
    assert [head.last_hash for head in heads_of(empty_url)] == hashes
    verified = cli(target, "ledger", "verify")
    assert verified.exit_code == 0, verified.output
    target.extensions["pledgebank.engine"].dispose()


def test_keep_deletes_all_but_the_newest_backups(app, clock, tmp_path):
    books_with_money(app)
    into = tmp_path / "backups"
    (into / "notes").mkdir(parents=True)
    names = []
    for _ in range(4):
        made = cli(app, "backup", "--into", str(into), "--keep", "2")
        assert made.exit_code == 0, made.output
        names.append(f"pledgebank-{clock.now():%Y%m%dT%H%M%SZ}")
        clock.advance(timedelta(days=1))
    assert sorted(path.name for path in into.iterdir()) == ["notes", *names[-2:]]
    assert f"deleted the older backup {into / names[1]}" in made.output


def test_a_second_backup_in_the_same_second_is_refused_and_leaves_the_first(app, tmp_path):
    books_with_money(app)
    into = tmp_path / "backups"
    assert cli(app, "backup", "--into", str(into)).exit_code == 0
    first = only_backup(into)
    before = manifest_of(first)
    again = cli(app, "backup", "--into", str(into))
    assert again.exit_code == 1
    assert f"no backup made: {first} already exists" in again.output
    assert manifest_of(first) == before
    assert [path.name for path in into.iterdir()] == [first.name]
