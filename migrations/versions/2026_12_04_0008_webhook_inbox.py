"""Webhooks: event ids and types as long as Stripe makes them (255), and a table of signed bodies refused.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WIDENED = (("id", 64), ("type", 80), ("object_id", 64))


def upgrade() -> None:
    with op.batch_alter_table("stripe_events", schema=None) as batch_op:
        for column, length in _WIDENED:
            batch_op.alter_column(
                column, existing_type=sa.String(length=length), type_=sa.String(length=255), nullable=False
            )
    op.create_table(
        "rejected_webhooks",
        sa.Column("id", ID, nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_webhooks")),
    )
    with op.batch_alter_table("rejected_webhooks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejected_webhooks_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rejected_webhooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_webhooks_received_at"))
    op.drop_table("rejected_webhooks")
    # Ids longer than the old columns cannot be kept when narrowing them back.
    op.execute(
        sa.text(
            "DELETE FROM stripe_events WHERE length(id) > 64 OR length(type) > 80 OR length(object_id) > 64"
        )
    )
    with op.batch_alter_table("stripe_events", schema=None) as batch_op:
        for column, length in _WIDENED:
            batch_op.alter_column(
                column, existing_type=sa.String(length=255), type_=sa.String(length=length), nullable=False
            )
