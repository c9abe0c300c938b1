"""Threshold pledges: pledges, signups, match offers, updates; Stripe customers, attempts and events;
the neighbourhood settings for pledges.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 05:14:46.792132
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_attempts",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("stripe_id", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_attempts")),
        sa.UniqueConstraint("key", name=op.f("uq_payment_attempts_key")),
    )
    with op.batch_alter_table("payment_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_attempts_subject"), ["subject"], unique=False)

    op.create_table(
        "stripe_events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("effect", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stripe_events")),
    )
    op.create_table(
        "payment_customers",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_payment_customers_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_payment_customers")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_payment_customers_customer_id")),
    )
    op.create_table(
        "pledges",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("fund_id", ID, nullable=False),
        sa.Column("creator_id", ID, nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount_kind", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("target_pledgers", sa.Integer(), nullable=True),
        sa.Column("target_amount", sa.BigInteger(), nullable=True),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("allow_cash", sa.Boolean(), nullable=False),
        sa.Column("collection_window_hours", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("approved_by_id", ID, nullable=True),
        sa.Column("wording_frozen_at", sa.DateTime(), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("collection_ends_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_pledges_amount_positive")),
        sa.CheckConstraint(
            "target_pledgers IS NOT NULL OR target_amount IS NOT NULL", name=op.f("ck_pledges_has_target")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_pledges_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(["creator_id"], ["users.id"], name=op.f("fk_pledges_creator_id_users")),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_pledges_fund_id_funds")),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_pledges_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
    )
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledges_neighbourhood_id"), ["neighbourhood_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledges_status"), ["status"], unique=False)

    op.create_table(
        "match_offers",
        sa.Column("id", ID, nullable=False),
        sa.Column("pledge_id", ID, nullable=False),
        sa.Column("sponsor_name", sa.String(length=120), nullable=False),
        sa.Column("ratio_sponsor", sa.Integer(), nullable=False),
        sa.Column("ratio_pledged", sa.Integer(), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("owed_amount", sa.BigInteger(), nullable=True),
        sa.Column("recorded_by_id", ID, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("cap > 0", name=op.f("ck_match_offers_cap_positive")),
        sa.CheckConstraint(
            "ratio_sponsor > 0 AND ratio_pledged > 0", name=op.f("ck_match_offers_ratio_positive")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_match_offers_pledge_id_pledges")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_match_offers_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_offers")),
    )
    with op.batch_alter_table("match_offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_offers_pledge_id"), ["pledge_id"], unique=False)

    op.create_table(
        "pledge_signups",
        sa.Column("id", ID, nullable=False),
        sa.Column("pledge_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("setup_intent_id", sa.String(length=64), nullable=True),
        sa.Column("payment_method_id", sa.String(length=64), nullable=True),
        sa.Column("card_brand", sa.String(length=20), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("payment_intent_id", sa.String(length=64), nullable=True),
        sa.Column("decline_code", sa.String(length=60), nullable=True),
        sa.Column("cash_into", sa.String(length=40), nullable=True),
        sa.Column("cash_recorded_by_id", ID, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_pledge_signups_amount_positive")),
        sa.ForeignKeyConstraint(
            ["cash_recorded_by_id"], ["users.id"], name=op.f("fk_pledge_signups_cash_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_signups_pledge_id_pledges")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_pledge_signups_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_signups")),
        sa.UniqueConstraint("payment_intent_id", name=op.f("uq_pledge_signups_payment_intent_id")),
        sa.UniqueConstraint("pledge_id", "user_id", name=op.f("uq_pledge_signups_pledge_id_user_id")),
        sa.UniqueConstraint("setup_intent_id", name=op.f("uq_pledge_signups_setup_intent_id")),
    )
    with op.batch_alter_table("pledge_signups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledge_signups_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledge_signups_user_id"), ["user_id"], unique=False)

    op.create_table(
        "pledge_updates",
        sa.Column("id", ID, nullable=False),
        sa.Column("pledge_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_pledge_updates_author_id_users")),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_updates_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_updates")),
    )
    with op.batch_alter_table("pledge_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledge_updates_pledge_id"), ["pledge_id"], unique=False)

    # Existing neighbourhoods get the defaults: cash allowed, no approval needed, a 72-hour window.
    op.add_column(
        "neighbourhoods",
        sa.Column("allow_cash_pledges", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column(
        "neighbourhoods",
        sa.Column("pledges_need_approval", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "neighbourhoods",
        sa.Column("collection_window_hours", sa.Integer(), nullable=False, server_default="72"),
    )


def downgrade() -> None:
    for column in ("collection_window_hours", "pledges_need_approval", "allow_cash_pledges"):
        # SQLite drops a column in place (3.35+); rebuilding the table would trip its foreign keys.
        op.execute(f"ALTER TABLE neighbourhoods DROP COLUMN {column}")

    with op.batch_alter_table("pledge_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_updates_pledge_id"))

    op.drop_table("pledge_updates")
    with op.batch_alter_table("pledge_signups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledge_signups_user_id"))
        batch_op.drop_index(batch_op.f("ix_pledge_signups_status"))

    op.drop_table("pledge_signups")
    with op.batch_alter_table("match_offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_offers_pledge_id"))

    op.drop_table("match_offers")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pledges_status"))
        batch_op.drop_index(batch_op.f("ix_pledges_neighbourhood_id"))

    op.drop_table("pledges")
    op.drop_table("payment_customers")
    op.drop_table("stripe_events")
    with op.batch_alter_table("payment_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_attempts_subject"))

    op.drop_table("payment_attempts")
