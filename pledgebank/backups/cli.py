"""`pledgebank backup` and `pledgebank restore`: the configured database and stored documents."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from pledgebank.backups.manifest import BackupRefused
from pledgebank.backups.service import make_backup, prune, restore_backup
from pledgebank.migrate import head_revision
from pledgebank.web.session import this_app


def document_folders(app: Flask) -> dict[str, Path]:
    """The folders of files the service stores beside its database, by the name a backup gives them."""
    folders = {}
    if app.config.get("MAIL_OUTBOX"):
        folders["outbox"] = Path(app.config["MAIL_OUTBOX"])
    return folders


@click.command("backup")
@click.option(
    "--into",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the backup into (as a new pledgebank-<UTC time> folder).",
)
@click.option("--keep", type=click.IntRange(min=1), help="Then delete all but the newest KEEP backups there.")
@with_appcontext
def backup(into: Path, keep: int | None) -> None:
    """Copy the database (one consistent snapshot, even in use) and stored documents, with a manifest."""
    app = this_app()
    try:
        folder = make_backup(
            url=app.config["DATABASE_URL"],
            documents=document_folders(app),
            into=into,
            now=app.extensions["pledgebank.clock"].now(),
        )
    except BackupRefused as error:
        click.echo(f"no backup made: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"backed up to {folder}")
    for path in prune(into, keep) if keep else []:
        click.echo(f"deleted the older backup {path}")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore(folder: Path) -> None:
    """Restore a backup into the configured database, which must be empty; verify the books first."""
    app = this_app()
    try:
        restored = restore_backup(
            folder=folder, url=app.config["DATABASE_URL"], documents=document_folders(app)
        )
    except BackupRefused as error:
        click.echo(f"not restored: {error.message}", err=True)
        sys.exit(1)
    manifest = restored.manifest
    click.echo(f"checked {len(manifest.files)} file(s) against the manifest of {manifest.created_at}")
    for head in restored.books:
        click.echo(
            f"ok    {head.slug}: chain head #{head.last_sequence} {head.last_hash[:16]} as in the manifest"
        )
    for area, count in restored.documents.items():
        click.echo(f"restored {count} {area} file(s)")
    for area, count in restored.skipped.items():
        click.echo(f"not restored: {count} {area} file(s), as this installation keeps no {area} folder")
    revision = head_revision()
    if manifest.alembic_revision != revision:
        click.echo(
            f"the database is at migration {manifest.alembic_revision}; "
            f"`pledgebank db upgrade` brings it to {head}"
        )
    click.echo(f"restored {len(restored.books)} book(s); ledger verify passed")
