"""Welsh and English: the language a person chose (for their pages and emails) and a neighbourhood's default
language (for its pages, when a visitor has chosen none, and its emails to people who have not chosen).

Revision ID: 0040
Revises: 0034
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (no table rebuild): other tables reference both.
    op.add_column("users", sa.Column("language", sa.String(8), nullable=False, server_default=""))
    op.add_column(
        "neighbourhoods", sa.Column("default_language", sa.String(8), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("neighbourhoods", "default_language")
    op.drop_column("users", "language")
