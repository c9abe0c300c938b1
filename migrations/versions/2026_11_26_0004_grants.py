"""Micro-grants: rounds and criteria, applications and budget lines, declarations, reviews and scores,
decisions, payments and reports.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 06:39:34.649417
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grant_rounds",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("fund_id", ID, nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("eligibility", sa.Text(), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("max_award", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("quorum_rule", sa.String(length=10), nullable=False),
        sa.Column("quorum_minimum", sa.Integer(), nullable=False),
        sa.Column("created_by_id", ID, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("budget > 0", name=op.f("ck_grant_rounds_budget_positive")),
        sa.CheckConstraint("closes_at > opens_at", name=op.f("ck_grant_rounds_closes_after_opening")),
        sa.CheckConstraint(
            "max_award > 0 AND max_award <= budget", name=op.f("ck_grant_rounds_max_award_in_budget")
        ),
        sa.CheckConstraint("quorum_minimum >= 2", name=op.f("ck_grant_rounds_quorum_at_least_two")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_grant_rounds_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_grant_rounds_fund_id_funds")),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_grant_rounds_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_rounds")),
    )
    with op.batch_alter_table("grant_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grant_rounds_neighbourhood_id"), ["neighbourhood_id"], unique=False
        )

    op.create_table(
        "grant_applications",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("applicant_id", ID, nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("amount_requested", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("group_name", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decider_id", ID, nullable=True),
        sa.Column("awarded_amount", sa.BigInteger(), nullable=True),
        sa.Column("awarded_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "amount_requested > 0", name=op.f("ck_grant_applications_amount_requested_positive")
        ),
        sa.CheckConstraint(
            "awarded_amount IS NULL OR (awarded_amount > 0 AND awarded_amount <= amount_requested)",
            name=op.f("ck_grant_applications_awarded_within_request"),
        ),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["users.id"], name=op.f("fk_grant_applications_applicant_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decider_id"], ["users.id"], name=op.f("fk_grant_applications_decider_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_grant_applications_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["grant_rounds.id"], name=op.f("fk_grant_applications_round_id_grant_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_applications")),
    )
    with op.batch_alter_table("grant_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grant_applications_applicant_id"), ["applicant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_grant_applications_neighbourhood_id"), ["neighbourhood_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grant_applications_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grant_applications_status"), ["status"], unique=False)

    op.create_table(
        "grant_criteria",
        sa.Column("id", ID, nullable=False),
        sa.Column("round_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight BETWEEN 1 AND 10", name=op.f("ck_grant_criteria_weight_range")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["grant_rounds.id"], name=op.f("fk_grant_criteria_round_id_grant_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_criteria")),
        sa.UniqueConstraint("round_id", "position", name=op.f("uq_grant_criteria_round_id_position")),
    )
    op.create_table(
        "grant_budget_lines",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_grant_budget_lines_amount_positive")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grant_applications.id"],
            name=op.f("fk_grant_budget_lines_application_id_grant_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_budget_lines")),
        sa.UniqueConstraint(
            "application_id", "position", name=op.f("uq_grant_budget_lines_application_id_position")
        ),
    )
    op.create_table(
        "grant_decisions",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("defer_until", sa.Date(), nullable=True),
        sa.Column("defer_to_next_round", sa.Boolean(), nullable=False),
        sa.Column("quorum_needed", sa.Integer(), nullable=False),
        sa.Column("reviews_counted", sa.Integer(), nullable=False),
        sa.Column("decided_by_id", ID, nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("transaction_id", ID, nullable=True),
        sa.Column("reversal_transaction_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grant_applications.id"],
            name=op.f("fk_grant_decisions_application_id_grant_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_grant_decisions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["reversal_transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_grant_decisions_reversal_transaction_id_ledger_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_grant_decisions_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_decisions")),
    )
    with op.batch_alter_table("grant_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grant_decisions_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "grant_declarations",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("interest", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "interest IN ('none', 'conflict')", name=op.f("ck_grant_declarations_interest_known")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grant_applications.id"],
            name=op.f("fk_grant_declarations_application_id_grant_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_grant_declarations_member_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_declarations")),
        sa.UniqueConstraint(
            "application_id", "member_id", name=op.f("uq_grant_declarations_application_id_member_id")
        ),
    )
    with op.batch_alter_table("grant_declarations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grant_declarations_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "grant_payments",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", ID, nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by_id", ID, nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("transaction_id", ID, nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_grant_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grant_applications.id"],
            name=op.f("fk_grant_payments_application_id_grant_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_grant_payments_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_grant_payments_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_grant_payments_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_payments")),
        sa.UniqueConstraint("application_id", name=op.f("uq_grant_payments_application_id")),
    )
    op.create_table(
        "grant_reports",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("amount_spent", sa.BigInteger(), nullable=False),
        sa.Column("unspent", sa.BigInteger(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("submitted_by_id", ID, nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("return_recorded_by_id", ID, nullable=True),
        sa.Column("return_transaction_id", ID, nullable=True),
        sa.CheckConstraint("amount_spent >= 0", name=op.f("ck_grant_reports_amount_spent_not_negative")),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_grant_reports_rating_range")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grant_applications.id"],
            name=op.f("fk_grant_reports_application_id_grant_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["return_recorded_by_id"], ["users.id"], name=op.f("fk_grant_reports_return_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["return_transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_grant_reports_return_transaction_id_ledger_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_grant_reports_submitted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_reports")),
        sa.UniqueConstraint("application_id", name=op.f("uq_grant_reports_application_id")),
    )
    op.create_table(
        "grant_reviews",
        sa.Column("id", ID, nullable=False),
        sa.Column("application_id", ID, nullable=False),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("recommendation", sa.String(length=12), nullable=False),
        sa.Column("recommended_amount", sa.BigInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grant_applications.id"],
            name=op.f("fk_grant_reviews_application_id_grant_applications"),
        ),
        sa.ForeignKeyConstraint(["member_id"], ["users.id"], name=op.f("fk_grant_reviews_member_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_reviews")),
        sa.UniqueConstraint(
            "application_id", "member_id", name=op.f("uq_grant_reviews_application_id_member_id")
        ),
    )
    with op.batch_alter_table("grant_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_reviews_application_id"), ["application_id"], unique=False)

    op.create_table(
        "grant_scores",
        sa.Column("review_id", ID, nullable=False),
        sa.Column("criterion_id", ID, nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 5", name=op.f("ck_grant_scores_score_range")),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["grant_criteria.id"], name=op.f("fk_grant_scores_criterion_id_grant_criteria")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["grant_reviews.id"], name=op.f("fk_grant_scores_review_id_grant_reviews")
        ),
        sa.PrimaryKeyConstraint("review_id", "criterion_id", name=op.f("pk_grant_scores")),
    )


def downgrade() -> None:
    op.drop_table("grant_scores")
    with op.batch_alter_table("grant_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_reviews_application_id"))

    op.drop_table("grant_reviews")
    op.drop_table("grant_reports")
    op.drop_table("grant_payments")
    with op.batch_alter_table("grant_declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_declarations_application_id"))

    op.drop_table("grant_declarations")
    with op.batch_alter_table("grant_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_decisions_application_id"))

    op.drop_table("grant_decisions")
    op.drop_table("grant_budget_lines")
    op.drop_table("grant_criteria")
    with op.batch_alter_table("grant_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_applications_status"))
        batch_op.drop_index(batch_op.f("ix_grant_applications_round_id"))
        batch_op.drop_index(batch_op.f("ix_grant_applications_neighbourhood_id"))
        batch_op.drop_index(batch_op.f("ix_grant_applications_applicant_id"))

    op.drop_table("grant_applications")
    with op.batch_alter_table("grant_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_rounds_neighbourhood_id"))

    op.drop_table("grant_rounds")
