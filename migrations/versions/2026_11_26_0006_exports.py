"""Treasurer's exports: a record of each ledger export (format, filters, sequence range, chain head).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_exports",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("fund_id", ID, nullable=True),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("first_sequence", sa.BigInteger(), nullable=True),
        sa.Column("last_sequence", sa.BigInteger(), nullable=True),
        sa.Column("head_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("made_by_id", ID, nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name=op.f("fk_ledger_exports_book_id_books")),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_ledger_exports_fund_id_funds")),
        sa.ForeignKeyConstraint(
            ["made_by_id"], ["users.id"], name=op.f("fk_ledger_exports_made_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_exports")),
    )
    op.create_index(op.f("ix_ledger_exports_book_id"), "ledger_exports", ["book_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_exports_book_id"), table_name="ledger_exports")
    op.drop_table("ledger_exports")
