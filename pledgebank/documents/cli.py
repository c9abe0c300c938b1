"""`pledgebank documents copy`: a book's supporting documents written beside an export of it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank.books.services import book_by_slug
from pledgebank.documents.content import EXTENSIONS
from pledgebank.documents.models import Document
from pledgebank.documents.services import digest_of
from pledgebank.documents.storage import app_store
from pledgebank.errors import NotFound
from pledgebank.web.session import db_session


@click.group()
def documents() -> None:
    """Supporting documents (invoices, receipts, grant evidence, bank statements)."""


@documents.command("copy")
@click.option("--book", "slug", required=True, help="The book's slug.")
@click.option(
    "--into",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of the export: files go into its documents/ folder, as the beancount export names them.",
)
@with_appcontext
def copy(slug: str, into: Path) -> None:
    """Write every document of the book as documents/<sha256>.<ext>, checking each against its sealed hash;
    exit 1 naming any document whose file is missing or changed."""
    session = db_session()
    try:
        book = book_by_slug(session, slug)
    except NotFound:
        click.echo(f"no book called {slug!r}", err=True)
        sys.exit(2)
    store, folder = app_store(current_app), into / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    failed = copied = 0
    rows = session.scalars(
        select(Document).where(Document.neighbourhood_id == book.neighbourhood_id).order_by(Document.id)
    )
    for document in rows:
        data = store.get(document.storage_key)
        if data is None or digest_of(data) != document.sha256:
            click.echo(f"document {document.id} ({document.filename}): missing or changed", err=True)
            failed += 1
            continue
        (folder / f"{document.sha256}.{EXTENSIONS[document.media_type]}").write_bytes(data)
        copied += 1
    click.echo(f"{copied} document(s) copied into {folder}" + (f", {failed} failed" if failed else ""))
    sys.exit(1 if failed else 0)
