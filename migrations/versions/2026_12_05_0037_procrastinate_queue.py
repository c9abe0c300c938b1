"""The task queue on PostgreSQL: procrastinate's schema (from the SQL file the pinned, installed package
ships), and `task_failures`, the last error of each procrastinate job, for the failed-jobs page.

SQLite keeps our own `task_jobs` table and gets only `task_failures` (unused there, so the models agree on
both databases). The version whose schema was applied is recorded as the comment on `procrastinate_jobs`:
upgrading procrastinate is a later revision that applies the package's `sql/migrations` files newer than
that recorded version and records the new one (a fresh database gets the installed schema here and has none
to apply), never an edit of this one.

Revision ID: 0037
Revises: 0039
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pledgebank.tasks import pg_schema

revision: str = "0037"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "task_failures",
        sa.Column("job_id", ID, primary_key=True, autoincrement=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _run_script(bind, pg_schema.schema_sql())
    _run_script(bind, pg_schema.record_version_sql(pg_schema.installed_version()))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _run_script(bind, pg_schema.DROP_SQL)
    op.drop_table("task_failures")


def _run_script(bind: sa.Connection, script: str) -> None:
    """A whole SQL script, as the driver runs it without parameters (its `%` signs are not placeholders)."""
    with bind.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(script)
