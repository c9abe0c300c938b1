"""Pledge milestones: when a pledge opened, met its target, ended collection and succeeded, failed or was
cancelled, with the figures as they stood at that moment, so a closed pledge keeps its history.

A new table only. Pledges closed before it have no milestones: their pages derive the dates from the
pledge's own columns and show no figures they cannot know.

Revision ID: 0019
Revises: 0021
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pledge_milestones",
        sa.Column("id", ID, nullable=False),
        sa.Column("pledge_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("pledgers", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("pledges", sa.Integer(), nullable=False),
        sa.Column("pledged", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_milestones_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_milestones")),
        sa.UniqueConstraint("pledge_id", "kind", name=op.f("uq_pledge_milestones_pledge_id_kind")),
    )
    op.create_index(op.f("ix_pledge_milestones_pledge_id"), "pledge_milestones", ["pledge_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pledge_milestones_pledge_id"), table_name="pledge_milestones")
    op.drop_table("pledge_milestones")
