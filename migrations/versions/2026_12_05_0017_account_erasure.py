"""Closed accounts: when a person's account was closed and their personal data erased.

An erased user keeps their row (ids in the books and the audit log still point at it) under a pseudonym,
"Former member #<id>", with an address that can receive no mail and a password that matches nothing.

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # A plain column drop works in place on both backends (SQLite 3.35+); a batch copy would drop and
    # recreate `users`, which the rows that refer to it forbid once the books hold anything.
    op.execute("ALTER TABLE users DROP COLUMN erased_at")
