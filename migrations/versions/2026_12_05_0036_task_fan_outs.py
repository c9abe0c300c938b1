"""Fan-out progress: how far a job that queues work in batches has got, so a retried one repeats no batch.

Revision ID: 0036
Revises: 0038
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task_fan_outs",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_task_fan_outs"),
    )


def downgrade() -> None:
    op.drop_table("task_fan_outs")
