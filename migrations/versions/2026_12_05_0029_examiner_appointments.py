"""Independent examiners: the chair's appointment of an examiner for a financial year.

Revision ID: 0029
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "examiner_appointments",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("neighbourhood_id", BigId, sa.ForeignKey("neighbourhoods.id"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("examiner_name", sa.String(120), nullable=False),
        sa.Column("year_start", sa.Date(), nullable=False),
        sa.Column("year_end", sa.Date(), nullable=False),
        sa.Column("lapses_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("appointed_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("appointed_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
    )
    op.create_index(
        "ix_examiner_appointments_neighbourhood_id", "examiner_appointments", ["neighbourhood_id"]
    )
    op.create_index("ix_examiner_appointments_user_id", "examiner_appointments", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_examiner_appointments_user_id", table_name="examiner_appointments")
    op.drop_index("ix_examiner_appointments_neighbourhood_id", table_name="examiner_appointments")
    op.drop_table("examiner_appointments")
