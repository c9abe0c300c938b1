"""Community dividends: bodies, their agreements with neighbourhoods (each version a row), signatures,
evidence and reviews.

Revision ID: 0031
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _agreement_columns() -> list[sa.Column]:
    text = sa.Text()
    return [
        sa.Column("id", BigId, primary_key=True),
        sa.Column("neighbourhood_id", BigId, sa.ForeignKey("neighbourhoods.id"), nullable=False),
        sa.Column("body_id", BigId, sa.ForeignKey("dividend_bodies.id"), nullable=False),
        sa.Column("fund_id", BigId, sa.ForeignKey("funds.id"), nullable=False),
        sa.Column("previous_id", BigId, sa.ForeignKey("dividend_agreements.id"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("outcome_name", sa.String(120), nullable=False),
        sa.Column("outcome_unit", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("outcome_source", sa.String(10), nullable=False),
        sa.Column("baseline_value", sa.BigInteger(), nullable=False),
        sa.Column("baseline_source", text, nullable=False),
        sa.Column("baseline_period", sa.String(60), nullable=False),
        sa.Column("target_value", sa.BigInteger(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("evidence_required", text, nullable=False),
        sa.Column("terms_kind", sa.String(10), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("floor_value", sa.BigInteger(), nullable=True),
        sa.Column("cap", sa.BigInteger(), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("signatory_name", sa.String(120), nullable=False),
        sa.Column("signatory_email", sa.String(254), nullable=False),
        sa.Column("verifier_name", sa.String(120), nullable=False),
        sa.Column("verifier_email", sa.String(254), nullable=False),
        sa.Column("terms_hash", sa.String(64), nullable=False),
        sa.Column("drafted_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("outcome_value", sa.BigInteger(), nullable=True),
        sa.Column("earned_amount", sa.BigInteger(), nullable=True),
        sa.Column("earned_transaction_id", BigId, sa.ForeignKey("ledger_transactions.id"), nullable=True),
        sa.Column("received_transaction_id", BigId, sa.ForeignKey("ledger_transactions.id"), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_reference", sa.String(60), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "dividend_bodies",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("slug", name="uq_dividend_bodies_slug"),
    )
    op.create_table(
        "dividend_agreements",
        *_agreement_columns(),
        sa.UniqueConstraint("previous_id", name="uq_dividend_agreements_previous_id"),
        sa.CheckConstraint("cap > 0", name="ck_dividend_agreements_cap_positive"),
        sa.CheckConstraint("version >= 1", name="ck_dividend_agreements_version_positive"),
        sa.CheckConstraint("signatory_email <> ''", name="ck_dividend_agreements_signatory_named"),
    )
    op.create_index("ix_dividend_agreements_neighbourhood_id", "dividend_agreements", ["neighbourhood_id"])
    op.create_index("ix_dividend_agreements_body_id", "dividend_agreements", ["body_id"])
    op.create_table(
        "dividend_signatures",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("agreement_id", BigId, sa.ForeignKey("dividend_agreements.id"), nullable=False),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("signer_name", sa.String(120), nullable=False),
        sa.Column("signer_email", sa.String(254), nullable=False),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("terms_hash", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("agreement_id", "party", name="uq_dividend_signatures_agreement_id_party"),
        sa.UniqueConstraint(
            "agreement_id", "signer_email", name="uq_dividend_signatures_agreement_id_signer_email"
        ),
        sa.CheckConstraint("party IN ('body', 'neighbourhood')", name="ck_dividend_signatures_party"),
    )
    op.create_index("ix_dividend_signatures_agreement_id", "dividend_signatures", ["agreement_id"])
    op.create_table(
        "dividend_evidence",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("agreement_id", BigId, sa.ForeignKey("dividend_agreements.id"), nullable=False),
        sa.Column("period", sa.String(60), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("submitted_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("agreement_id", "period", name="uq_dividend_evidence_agreement_id_period"),
    )
    op.create_index("ix_dividend_evidence_agreement_id", "dividend_evidence", ["agreement_id"])
    op.create_table(
        "dividend_reviews",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("agreement_id", BigId, sa.ForeignKey("dividend_agreements.id"), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("by_name", sa.String(120), nullable=False),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('verified', 'disputed', 'answered')", name="ck_dividend_reviews_decision"
        ),
    )
    op.create_index("ix_dividend_reviews_agreement_id", "dividend_reviews", ["agreement_id"])


def downgrade() -> None:
    op.drop_index("ix_dividend_reviews_agreement_id", table_name="dividend_reviews")
    op.drop_table("dividend_reviews")
    op.drop_index("ix_dividend_evidence_agreement_id", table_name="dividend_evidence")
    op.drop_table("dividend_evidence")
    op.drop_index("ix_dividend_signatures_agreement_id", table_name="dividend_signatures")
    op.drop_table("dividend_signatures")
    op.drop_index("ix_dividend_agreements_body_id", table_name="dividend_agreements")
    op.drop_index("ix_dividend_agreements_neighbourhood_id", table_name="dividend_agreements")
    op.drop_table("dividend_agreements")
    op.drop_table("dividend_bodies")
