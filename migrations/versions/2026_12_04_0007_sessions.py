"""Sessions that can be ended: a per-user session generation, signed-out sign-ins, and when the owner of an
address was last told of a registration attempt.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    op.add_column("users", sa.Column("registration_notice_at", sa.DateTime(), nullable=True))
    op.create_table(
        "signed_out_sessions",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_signed_out_sessions_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_signed_out_sessions"),
        sa.UniqueConstraint("key_hash", name="uq_signed_out_sessions_key_hash"),
    )
    op.create_index("ix_signed_out_sessions_user_id", "signed_out_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_signed_out_sessions_user_id", table_name="signed_out_sessions")
    op.drop_table("signed_out_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("registration_notice_at")
        batch.drop_column("session_generation")
