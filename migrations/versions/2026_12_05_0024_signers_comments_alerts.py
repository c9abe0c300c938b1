"""Signers who show their name on a pledge, comments and questions on pledges, and email alerts about new
pledges in a neighbourhood or postcode district.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("pledge_signups") as batch:
        batch.add_column(sa.Column("shown_as", sa.String(10), nullable=False, server_default="hidden"))
    op.create_table(
        "pledge_comments",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("pledge_id", BigId, sa.ForeignKey("pledges.id"), nullable=False),
        sa.Column("author_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("parent_id", BigId, sa.ForeignKey("pledge_comments.id"), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("hidden_reason", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_pledge_comments_pledge_id", "pledge_comments", ["pledge_id"])
    op.create_index("ix_pledge_comments_author_id", "pledge_comments", ["author_id"])
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("neighbourhood_id", BigId, sa.ForeignKey("neighbourhoods.id"), nullable=True),
        sa.Column("district", sa.String(8), nullable=True),
        sa.Column("scope", sa.String(40), nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("digest_week", sa.String(10), nullable=True),
        sa.Column("digest_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("email", "scope", name="uq_alert_subscriptions_email_scope"),
        sa.CheckConstraint(
            "(neighbourhood_id IS NULL) <> (district IS NULL)", name="ck_alert_subscriptions_one_area"
        ),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "subscription_id",
            BigId,
            sa.ForeignKey("alert_subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("pledge_id", BigId, sa.ForeignKey("pledges.id"), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "subscription_id", "pledge_id", name="uq_alert_deliveries_subscription_id_pledge_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_table("alert_subscriptions")
    op.drop_index("ix_pledge_comments_author_id", table_name="pledge_comments")
    op.drop_index("ix_pledge_comments_pledge_id", table_name="pledge_comments")
    op.drop_table("pledge_comments")
    # In place on both backends, as migration 0017 does: a batch copy would recreate a table others refer to.
    op.execute("ALTER TABLE pledge_signups DROP COLUMN shown_as")
