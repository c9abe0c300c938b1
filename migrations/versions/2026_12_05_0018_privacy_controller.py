"""Who is responsible for residents' data in each neighbourhood: the data controller's name and contact,
set by the chair and shown on the neighbourhood's privacy notice. Both start empty.

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("neighbourhoods") as batch:
        batch.add_column(sa.Column("controller_name", sa.String(120), server_default="", nullable=False))
        batch.add_column(sa.Column("controller_contact", sa.String(254), server_default="", nullable=False))


def downgrade() -> None:
    # A plain column drop works in place on both backends (SQLite 3.35+); a batch copy would drop and
    # recreate `neighbourhoods`, which the rows that refer to it forbid once the books hold anything.
    op.execute("ALTER TABLE neighbourhoods DROP COLUMN controller_contact")
    op.execute("ALTER TABLE neighbourhoods DROP COLUMN controller_name")
