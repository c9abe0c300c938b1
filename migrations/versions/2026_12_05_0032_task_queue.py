"""The task queue: jobs written in the transaction of the work that asks for them, and periodic schedules.

`task_jobs` holds each waiting, running or dead job (a job that succeeds is deleted); a job's key is unique
among its waiting and running jobs (a partial unique index, on SQLite and PostgreSQL alike). `task_schedules`
holds each periodic job's next due time.

Revision ID: 0032
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ACTIVE = sa.text("key IS NOT NULL AND status IN ('queued', 'running')")


def upgrade() -> None:
    op.create_table(
        "task_jobs",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column(
            "neighbourhood_id",
            ID,
            sa.ForeignKey(
                "neighbourhoods.id", ondelete="CASCADE", name="fk_task_jobs_neighbourhood_id_neighbourhoods"
            ),
            nullable=True,
        ),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("run_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_task_jobs"),
    )
    op.create_index("ix_task_jobs_due", "task_jobs", ["status", "run_at"])
    op.create_index("ix_task_jobs_neighbourhood_id", "task_jobs", ["neighbourhood_id"])
    op.create_index(
        "uq_task_jobs_active_key",
        "task_jobs",
        ["key"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_table(
        "task_schedules",
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_task_schedules"),
    )


def downgrade() -> None:
    op.drop_table("task_schedules")
    op.drop_index("uq_task_jobs_active_key", table_name="task_jobs")
    op.drop_index("ix_task_jobs_neighbourhood_id", table_name="task_jobs")
    op.drop_index("ix_task_jobs_due", table_name="task_jobs")
    op.drop_table("task_jobs")
