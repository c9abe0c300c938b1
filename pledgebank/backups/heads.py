"""Reading what a manifest records from a database: every book's chain head and the Alembic revision."""

from __future__ import annotations

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection

from pledgebank.backups.manifest import BookHead
from pledgebank.books.models import Book, ChainHead
from pledgebank.ledger.canonical import GENESIS_HASH, to_hex


def book_heads(connection: Connection) -> tuple[BookHead, ...]:
    """Each book's last sealed sequence and hash, by book id (a book with no transactions at 0, genesis)."""
    rows = connection.execute(
        select(Book.id, Book.slug, ChainHead.sequence, ChainHead.hash)
        .outerjoin(ChainHead, ChainHead.book_id == Book.id)
        .order_by(Book.id)
    )
    return tuple(
        BookHead(
            book_id=row.id,
            slug=row.slug,
            last_sequence=row.sequence or 0,
            last_hash=to_hex(bytes(row.hash) if row.hash is not None else GENESIS_HASH),
        )
        for row in rows
    )


def alembic_revision(connection: Connection) -> str | None:
    """The migration the database is at (several heads joined by '+'), or None if it was never migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    revisions = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return "+".join(revisions) or None
