"""Local levies: levies and their approvals, households and their residents, each household's liability,
each period's charges, and hardship requests.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("address_key", sa.String(length=200), nullable=False),
        sa.Column("band", sa.String(length=1), nullable=False),
        sa.Column("payer_id", ID, nullable=True),
        sa.Column("card_round", sa.Integer(), nullable=False),
        sa.Column("setup_intent_id", sa.String(length=64), nullable=True),
        sa.Column("setup_by_id", ID, nullable=True),
        sa.Column("payment_method_id", sa.String(length=64), nullable=True),
        sa.Column("card_brand", sa.String(length=20), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("card_decline_code", sa.String(length=60), nullable=True),
        sa.Column("created_by_id", ID, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_households_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_households_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["users.id"], name=op.f("fk_households_payer_id_users")),
        sa.ForeignKeyConstraint(["setup_by_id"], ["users.id"], name=op.f("fk_households_setup_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
        sa.UniqueConstraint(
            "neighbourhood_id", "address_key", name=op.f("uq_households_neighbourhood_id_address_key")
        ),
        sa.UniqueConstraint("setup_intent_id", name=op.f("uq_households_setup_intent_id")),
    )
    op.create_table(
        "household_residents",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_household_residents_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_household_residents_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_household_residents_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_residents")),
        sa.UniqueConstraint(
            "neighbourhood_id", "user_id", name=op.f("uq_household_residents_neighbourhood_id_user_id")
        ),
    )
    with op.batch_alter_table("household_residents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_residents_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_household_residents_user_id"), ["user_id"], unique=False)

    op.create_table(
        "levies",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("fund_id", ID, nullable=False),
        sa.Column("created_by_id", ID, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("voluntary", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=True),
        sa.Column("prorate", sa.Boolean(), nullable=False),
        sa.Column("retry_days", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("activated_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_levies_amount_positive")),
        sa.CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name=op.f("ck_levies_ends_after_start")),
        sa.CheckConstraint(
            "threshold IS NULL OR (voluntary AND threshold > 0)", name=op.f("ck_levies_threshold_voluntary")
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_levies_created_by_id_users")),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_levies_fund_id_funds")),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_levies_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levies")),
    )
    with op.batch_alter_table("levies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_levies_neighbourhood_id"), ["neighbourhood_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_levies_status"), ["status"], unique=False)

    op.create_table(
        "levy_approvals",
        sa.Column("id", ID, nullable=False),
        sa.Column("levy_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("roles", sa.String(length=60), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["levy_id"], ["levies.id"], name=op.f("fk_levy_approvals_levy_id_levies")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_levy_approvals_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levy_approvals")),
        sa.UniqueConstraint("levy_id", "user_id", name=op.f("uq_levy_approvals_levy_id_user_id")),
    )
    op.create_table(
        "levy_charges",
        sa.Column("id", ID, nullable=False),
        sa.Column("levy_id", ID, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("full_amount", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("waived_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("payment_intent_id", sa.String(length=64), nullable=True),
        sa.Column("decline_code", sa.String(length=60), nullable=True),
        sa.Column("paid_via", sa.String(length=8), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_by_id", ID, nullable=True),
        sa.Column("arrears_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_levy_charges_amount_positive")),
        sa.CheckConstraint(
            "waived_amount >= 0 AND waived_amount <= amount",
            name=op.f("ck_levy_charges_waived_within_amount"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_levy_charges_household_id_households")
        ),
        sa.ForeignKeyConstraint(["levy_id"], ["levies.id"], name=op.f("fk_levy_charges_levy_id_levies")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_levy_charges_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levy_charges")),
        sa.UniqueConstraint(
            "levy_id",
            "household_id",
            "period_start",
            name=op.f("uq_levy_charges_levy_id_household_id_period_start"),
        ),
        sa.UniqueConstraint("payment_intent_id", name=op.f("uq_levy_charges_payment_intent_id")),
    )
    with op.batch_alter_table("levy_charges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_levy_charges_household_id"), ["household_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_levy_charges_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_levy_charges_status"), ["status"], unique=False)

    op.create_table(
        "levy_households",
        sa.Column("id", ID, nullable=False),
        sa.Column("levy_id", ID, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("added_by_id", ID, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR left_on >= joined_on", name=op.f("ck_levy_households_left_after_joining")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_levy_households_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_levy_households_household_id_households")
        ),
        sa.ForeignKeyConstraint(["levy_id"], ["levies.id"], name=op.f("fk_levy_households_levy_id_levies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levy_households")),
        sa.UniqueConstraint("levy_id", "household_id", name=op.f("uq_levy_households_levy_id_household_id")),
    )
    with op.batch_alter_table("levy_households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_levy_households_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_levy_households_levy_id"), ["levy_id"], unique=False)

    op.create_table(
        "hardship_requests",
        sa.Column("id", ID, nullable=False),
        sa.Column("charge_id", ID, nullable=False),
        sa.Column("requested_by_id", ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_amount", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("approved_amount", sa.BigInteger(), nullable=True),
        sa.Column("decided_by_id", ID, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "approved_amount IS NULL OR approved_amount > 0",
            name=op.f("ck_hardship_requests_approved_positive"),
        ),
        sa.CheckConstraint(
            "requested_amount IS NULL OR requested_amount > 0",
            name=op.f("ck_hardship_requests_requested_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["levy_charges.id"], name=op.f("fk_hardship_requests_charge_id_levy_charges")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_hardship_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_hardship_requests_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hardship_requests")),
    )
    with op.batch_alter_table("hardship_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hardship_requests_charge_id"), ["charge_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hardship_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hardship_requests_charge_id"))

    op.drop_table("hardship_requests")
    with op.batch_alter_table("levy_households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_levy_households_levy_id"))
        batch_op.drop_index(batch_op.f("ix_levy_households_household_id"))

    op.drop_table("levy_households")
    with op.batch_alter_table("levy_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_levy_charges_status"))
        batch_op.drop_index(batch_op.f("ix_levy_charges_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_levy_charges_household_id"))

    op.drop_table("levy_charges")
    op.drop_table("levy_approvals")
    with op.batch_alter_table("levies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_levies_status"))
        batch_op.drop_index(batch_op.f("ix_levies_neighbourhood_id"))

    op.drop_table("levies")
    with op.batch_alter_table("household_residents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_residents_user_id"))
        batch_op.drop_index(batch_op.f("ix_household_residents_household_id"))

    op.drop_table("household_residents")
    op.drop_table("households")
