"""A pledge's own fund: whether the pledge's fund was opened for it, restricted to what the pledge says.

A new pledge pays into a restricted fund of its own unless the committee picks an existing fund. While nobody
has pledged, changing the pledge's words changes that fund's name and purpose too; a fund the committee
picked keeps its own. Existing pledges keep the funds they pay into, recorded as not their own.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("pledges", sa.Column("own_fund", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); rebuilding the table would trip its foreign keys.
    op.execute("ALTER TABLE pledges DROP COLUMN own_fund")
