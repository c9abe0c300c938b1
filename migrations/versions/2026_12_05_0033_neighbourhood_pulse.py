"""The neighbourhood pulse: survey rounds, their questions, one response per resident per round, answers;
and the pulse measure a community dividend agreement's outcome may be.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("dividend_agreements") as batch:
        batch.add_column(sa.Column("outcome_measure", sa.String(24), nullable=False, server_default=""))
    op.create_table(
        "pulse_rounds",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("neighbourhood_id", BigId, sa.ForeignKey("neighbourhoods.id"), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("opens", sa.Date(), nullable=False),
        sa.Column("closes", sa.Date(), nullable=False),
        sa.Column("opened_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("closes >= opens", name="ck_pulse_rounds_closes_after_opens"),
    )
    op.create_index("ix_pulse_rounds_neighbourhood_id", "pulse_rounds", ["neighbourhood_id"])
    op.create_table(
        "pulse_questions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("round_id", BigId, sa.ForeignKey("pulse_rounds.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(24), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.UniqueConstraint("round_id", "position", name="uq_pulse_questions_round_id_position"),
        sa.CheckConstraint("kind IN ('scale', 'text')", name="ck_pulse_questions_kind_known"),
    )
    op.create_index("ix_pulse_questions_round_id", "pulse_questions", ["round_id"])
    op.create_table(
        "pulse_responses",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("round_id", BigId, sa.ForeignKey("pulse_rounds.id"), nullable=False),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("round_id", "user_id", name="uq_pulse_responses_round_id_user_id"),
    )
    op.create_index("ix_pulse_responses_round_id", "pulse_responses", ["round_id"])
    op.create_index("ix_pulse_responses_user_id", "pulse_responses", ["user_id"])
    op.create_table(
        "pulse_answers",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("response_id", BigId, sa.ForeignKey("pulse_responses.id"), nullable=False),
        sa.Column("question_id", BigId, sa.ForeignKey("pulse_questions.id"), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("response_id", "question_id", name="uq_pulse_answers_response_id_question_id"),
        sa.CheckConstraint(
            "value IS NULL OR (value >= 0 AND value <= 5)", name="ck_pulse_answers_value_on_scale"
        ),
    )
    op.create_index("ix_pulse_answers_response_id", "pulse_answers", ["response_id"])
    op.create_index("ix_pulse_answers_question_id", "pulse_answers", ["question_id"])


def downgrade() -> None:
    op.drop_index("ix_pulse_answers_question_id", table_name="pulse_answers")
    op.drop_index("ix_pulse_answers_response_id", table_name="pulse_answers")
    op.drop_table("pulse_answers")
    op.drop_index("ix_pulse_responses_user_id", table_name="pulse_responses")
    op.drop_index("ix_pulse_responses_round_id", table_name="pulse_responses")
    op.drop_table("pulse_responses")
    op.drop_index("ix_pulse_questions_round_id", table_name="pulse_questions")
    op.drop_table("pulse_questions")
    op.drop_index("ix_pulse_rounds_neighbourhood_id", table_name="pulse_rounds")
    op.drop_table("pulse_rounds")
    with op.batch_alter_table("dividend_agreements") as batch:
        batch.drop_column("outcome_measure")
