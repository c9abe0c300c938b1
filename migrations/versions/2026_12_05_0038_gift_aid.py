"""Gift Aid: a charity's HMRC reference, donors' declarations and cancellations, a pledge's benefit to its
pledgers, and claims with a line per gift (a gift claimed once, ever).

Revision ID: 0038
Revises: 0040
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column:
    return sa.Column("id", BigId, primary_key=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, BigId, sa.ForeignKey(f"{target}.id"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "giftaid_charities",
        _id(),
        _fk("neighbourhood_id", "neighbourhoods"),
        sa.Column("hmrc_reference", sa.String(12), nullable=False),
        _fk("recorded_by_id", "users"),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("neighbourhood_id", name="uq_giftaid_charities_neighbourhood_id"),
    )
    op.create_table(
        "giftaid_declarations",
        _id(),
        _fk("neighbourhood_id", "neighbourhoods"),
        _fk("user_id", "users"),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("gift_ref", sa.String(40), nullable=True),
        sa.Column("title", sa.String(4), nullable=False),
        sa.Column("first_name", sa.String(35), nullable=False),
        sa.Column("last_name", sa.String(35), nullable=False),
        sa.Column("house", sa.String(40), nullable=False),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("wording_sha256", sa.String(64), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_giftaid_declarations_neighbourhood_id", "giftaid_declarations", ["neighbourhood_id"])
    op.create_index("ix_giftaid_declarations_user_id", "giftaid_declarations", ["user_id"])
    op.create_table(
        "giftaid_cancellations",
        _id(),
        _fk("declaration_id", "giftaid_declarations"),
        sa.Column("cancelled_on", sa.Date(), nullable=False),
        _fk("cancelled_by_id", "users"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("declaration_id", name="uq_giftaid_cancellations_declaration_id"),
    )
    op.create_table(
        "giftaid_benefits",
        _id(),
        _fk("pledge_id", "pledges"),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        _fk("recorded_by_id", "users"),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("pledge_id", name="uq_giftaid_benefits_pledge_id"),
    )
    op.create_table(
        "giftaid_claims",
        _id(),
        _fk("neighbourhood_id", "neighbourhoods"),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("gifts_total", sa.BigInteger(), nullable=False),
        sa.Column("gift_aid", sa.BigInteger(), nullable=False),
        _fk("made_by_id", "users"),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        _fk("transaction_id", "ledger_transactions", nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        _fk("paid_by_id", "users", nullable=True),
        _fk("paid_transaction_id", "ledger_transactions", nullable=True),
        sa.CheckConstraint("period_end >= period_start", name="ck_giftaid_claims_period_in_order"),
    )
    op.create_index("ix_giftaid_claims_neighbourhood_id", "giftaid_claims", ["neighbourhood_id"])
    op.create_table(
        "giftaid_claim_lines",
        _id(),
        _fk("claim_id", "giftaid_claims"),
        sa.Column("gift_ref", sa.String(40), nullable=False),
        _fk("declaration_id", "giftaid_declarations"),
        _fk("fund_id", "funds"),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("gift_date", sa.Date(), nullable=False),
        sa.UniqueConstraint("gift_ref", name="uq_giftaid_claim_lines_gift_ref"),
    )
    op.create_index("ix_giftaid_claim_lines_claim_id", "giftaid_claim_lines", ["claim_id"])
    op.create_index("ix_giftaid_claim_lines_declaration_id", "giftaid_claim_lines", ["declaration_id"])


def downgrade() -> None:
    op.drop_index("ix_giftaid_claim_lines_declaration_id", table_name="giftaid_claim_lines")
    op.drop_index("ix_giftaid_claim_lines_claim_id", table_name="giftaid_claim_lines")
    op.drop_table("giftaid_claim_lines")
    op.drop_index("ix_giftaid_claims_neighbourhood_id", table_name="giftaid_claims")
    op.drop_table("giftaid_claims")
    op.drop_table("giftaid_benefits")
    op.drop_table("giftaid_cancellations")
    op.drop_index("ix_giftaid_declarations_user_id", table_name="giftaid_declarations")
    op.drop_index("ix_giftaid_declarations_neighbourhood_id", table_name="giftaid_declarations")
    op.drop_table("giftaid_declarations")
    op.drop_table("giftaid_charities")
