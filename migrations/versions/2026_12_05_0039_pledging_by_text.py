"""Pledging by text message: neighbourhoods' text numbers, pledges' keywords, phones, texts received and the
notices sent to a pledge's text signers.

Revision ID: 0039
Revises: 0033
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sms_numbers",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("neighbourhood_id", BigId, sa.ForeignKey("neighbourhoods.id"), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("neighbourhood_id", name="uq_sms_numbers_neighbourhood_id"),
        sa.UniqueConstraint("number", name="uq_sms_numbers_number"),
    )
    op.create_table(
        "sms_keywords",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("neighbourhood_id", BigId, sa.ForeignKey("neighbourhoods.id"), nullable=False),
        sa.Column("pledge_id", BigId, sa.ForeignKey("pledges.id"), nullable=False),
        sa.Column("keyword", sa.String(20), nullable=False),
        sa.Column("set_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("neighbourhood_id", "keyword", name="uq_sms_keywords_neighbourhood_id_keyword"),
        sa.UniqueConstraint("pledge_id", name="uq_sms_keywords_pledge_id"),
    )
    op.create_index("ix_sms_keywords_neighbourhood_id", "sms_keywords", ["neighbourhood_id"])
    op.create_table(
        "sms_phones",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("phone_number", sa.String(16), nullable=False),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("opted_out_at", sa.DateTime(), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("code_digest", sa.String(64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("pending_pledge_id", BigId, sa.ForeignKey("pledges.id"), nullable=True),
        sa.Column("pending_amount", sa.BigInteger(), nullable=True),
        sa.Column("pending_user_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("last_number_id", BigId, sa.ForeignKey("sms_numbers.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("phone_number", name="uq_sms_phones_phone_number"),
    )
    op.create_index("ix_sms_phones_user_id", "sms_phones", ["user_id"])
    op.create_table(
        "sms_inbound",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("provider_message_id", sa.String(64), nullable=False),
        sa.Column("phone_id", BigId, sa.ForeignKey("sms_phones.id"), nullable=False),
        sa.Column("number_id", BigId, sa.ForeignKey("sms_numbers.id"), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("provider_message_id", name="uq_sms_inbound_provider_message_id"),
    )
    op.create_index("ix_sms_inbound_phone_id", "sms_inbound", ["phone_id"])
    op.create_index("ix_sms_inbound_received_at", "sms_inbound", ["received_at"])
    op.create_table(
        "sms_notices",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("pledge_id", BigId, sa.ForeignKey("pledges.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("pledge_id", "kind", name="uq_sms_notices_pledge_id_kind"),
    )


def downgrade() -> None:
    op.drop_table("sms_notices")
    op.drop_index("ix_sms_inbound_received_at", table_name="sms_inbound")
    op.drop_index("ix_sms_inbound_phone_id", table_name="sms_inbound")
    op.drop_table("sms_inbound")
    op.drop_index("ix_sms_phones_user_id", table_name="sms_phones")
    op.drop_table("sms_phones")
    op.drop_index("ix_sms_keywords_neighbourhood_id", table_name="sms_keywords")
    op.drop_table("sms_keywords")
    op.drop_table("sms_numbers")
