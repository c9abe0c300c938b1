"""Each email job names its recipient's address, so a person's right of access shows the emails waiting for
them or that could not be sent, and closing their account deletes them.

Revision ID: 0041
Revises: 0036
Create Date: 2026-12-05
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (no table rebuild): jobs already queued keep their rows, with no recipient named.
    op.add_column("task_jobs", sa.Column("recipient_email", sa.String(320), nullable=True))
    op.create_index("ix_task_jobs_recipient_email", "task_jobs", ["recipient_email"])
    _name_recipients()


def _name_recipients() -> None:
    """Email jobs already waiting or dead name their recipient, read from their payload."""
    jobs = sa.table(
        "task_jobs", sa.column("id"), sa.column("kind"), sa.column("payload"), sa.column("recipient_email")
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(jobs.c.id, jobs.c.payload).where(jobs.c.kind == "email")).all()
    for job_id, payload in rows:
        address = json.loads(payload).get("to")
        if isinstance(address, str):
            connection.execute(
                sa.update(jobs).where(jobs.c.id == job_id).values(recipient_email=address.lower())
            )


def downgrade() -> None:
    op.drop_index("ix_task_jobs_recipient_email", table_name="task_jobs")
    op.drop_column("task_jobs", "recipient_email")
