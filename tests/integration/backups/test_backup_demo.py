"""A backup of the demo neighbourhood, taken while donations keep arriving, restored into another database:
every book's chain head is the manifest's, `ledger verify` passes, everything else is all there, and the
stored emails come back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgebank import demo
from pledgebank.backups.manifest import file_sha256
from tests.helpers.app import with_stripe
from tests.helpers.backups import (
    app_on,
    cli,
    heads_of,
    manifest_of,
    money_coming_in,
    only_backup,
    row_counts,
)

POSTED_MEANWHILE = ("ledger_transactions", "ledger_postings", "ledger_seals")


@pytest.fixture
def app_config(app_config, stripe_api):
    """The demo as the quick start runs it: demo mode, card payments against the Stripe emulator."""
    return {**with_stripe(app_config, stripe_api), "DEMO": True}


def test_a_busy_demo_restored_elsewhere_has_every_chain_head_of_its_manifest(app, clock, tmp_path, empty_url):
    people = demo.load(app)
    treasurer = people["tom@example.org"]
    with money_coming_in(app, [demo.DEMO_SLUG], treasurer):
        made = cli(app, "backup", "--into", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    folder = only_backup(tmp_path / "backups")
    manifest = manifest_of(folder)
    emails = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    assert emails, "the demo writes receipts and reminders to the outbox"

    # The demo's documents stay in their store (a backup holds the database and the emails).
    target = app_on(empty_url, tmp_path / "restored-outbox", clock, Path(app.config["DOCUMENT_DIR"]))
    restored = cli(target, "restore", str(folder))
    assert restored.exit_code == 0, restored.output
    assert f"restored {len(emails)} outbox file(s)" in restored.output
    after = heads_of(empty_url)
    assert [(h.book_id, h.slug, h.last_sequence, h.last_hash) for h in after] == [
        (h["book_id"], h["slug"], h["last_sequence"], h["last_hash"]) for h in manifest["books"]
    ]
    source = {head.slug: head.last_sequence for head in heads_of(app.config["DATABASE_URL"])}
    assert source[demo.DEMO_SLUG] > {h.slug: h.last_sequence for h in after}[demo.DEMO_SLUG]
    verified = cli(target, "ledger", "verify")
    assert verified.exit_code == 0, verified.output
    kept, copied = row_counts(app.config["DATABASE_URL"]), row_counts(empty_url)
    for table in POSTED_MEANWHILE:
        assert 0 < copied.pop(table) < kept.pop(table)
    assert copied == kept
    for email in emails:
        assert file_sha256(tmp_path / "restored-outbox" / email.name) == file_sha256(email)
    target.extensions["pledgebank.engine"].dispose()
