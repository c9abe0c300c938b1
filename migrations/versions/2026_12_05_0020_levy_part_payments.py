"""Part payments of a levy charge: what the treasurer has recorded in cash or by bank transfer towards it
before it is paid in full. What is still owed is the amount less what was waived and what was paid in part.
And a neighbourhood's bank details, shown wherever residents are told they may pay the treasurer by transfer.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "levy_charges", sa.Column("part_paid", sa.BigInteger(), nullable=False, server_default=sa.text("0"))
    )
    op.add_column(
        "neighbourhoods", sa.Column("bank_details", sa.String(300), nullable=False, server_default="")
    )


def downgrade() -> None:
    # SQLite drops a column in place (3.35+); rebuilding the table would trip its foreign keys.
    op.execute("ALTER TABLE neighbourhoods DROP COLUMN bank_details")
    op.execute("ALTER TABLE levy_charges DROP COLUMN part_paid")
