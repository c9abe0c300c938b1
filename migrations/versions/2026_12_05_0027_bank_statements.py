"""Bank statements: the book's bank account, CSV column mappings per bank, statements and their lines (each
stored once per book by its fingerprint), rules remembered from the treasurer's choices, and reconciliations.

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _book() -> sa.Column:
    return sa.Column("book_id", BigId, sa.ForeignKey("books.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "bank_accounts",
        sa.Column("book_id", BigId, sa.ForeignKey("books.id"), primary_key=True),
        sa.Column("identifier", sa.String(40), nullable=False),
    )
    op.create_table(
        "bank_column_mappings",
        sa.Column("id", BigId, primary_key=True),
        _book(),
        sa.Column("bank", sa.String(60), nullable=False),
        sa.Column("date_column", sa.String(60), nullable=False),
        sa.Column("date_format", sa.String(20), nullable=False),
        sa.Column("amount_column", sa.String(60), nullable=False),
        sa.Column("paid_in_column", sa.String(60), nullable=False),
        sa.Column("paid_out_column", sa.String(60), nullable=False),
        sa.Column("description_column", sa.String(60), nullable=False),
        sa.Column("reference_column", sa.String(60), nullable=False),
        sa.Column("balance_column", sa.String(60), nullable=False),
        sa.UniqueConstraint("book_id", "bank", name="uq_bank_column_mappings_book_id_bank"),
    )
    op.create_table(
        "bank_statements",
        sa.Column("id", BigId, primary_key=True),
        _book(),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("filename", sa.String(120), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("closing_balance", sa.BigInteger(), nullable=True),
        sa.Column("lines_read", sa.Integer(), nullable=False),
        sa.Column("lines_added", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("book_id", "sha256", name="uq_bank_statements_book_id_sha256"),
    )
    op.create_table(
        "bank_statement_lines",
        sa.Column("id", BigId, primary_key=True),
        _book(),
        sa.Column("statement_id", BigId, sa.ForeignKey("bank_statements.id"), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("transaction_id", BigId, sa.ForeignKey("ledger_transactions.id"), nullable=True),
        sa.Column("settled_by_id", BigId, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("book_id", "fingerprint", name="uq_bank_statement_lines_book_id_fingerprint"),
        sa.UniqueConstraint("transaction_id", name="uq_bank_statement_lines_transaction_id"),
    )
    op.create_index("ix_bank_statement_lines_statement_id", "bank_statement_lines", ["statement_id"])
    op.create_table(
        "bank_line_rules",
        sa.Column("id", BigId, primary_key=True),
        _book(),
        sa.Column("contains", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("fund_id", BigId, sa.ForeignKey("funds.id"), nullable=False),
        sa.Column("created_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("book_id", "contains", name="uq_bank_line_rules_book_id_contains"),
    )
    op.create_table(
        "bank_reconciliations",
        sa.Column("id", BigId, primary_key=True),
        _book(),
        sa.Column("reconciled_on", sa.Date(), nullable=False),
        sa.Column("statement_balance", sa.BigInteger(), nullable=False),
        sa.Column("ledger_balance", sa.BigInteger(), nullable=False),
        sa.Column("unmatched_lines_total", sa.BigInteger(), nullable=False),
        sa.Column("unmatched_postings_total", sa.BigInteger(), nullable=False),
        sa.Column("reconciled_by_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reconciled_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("book_id", "reconciled_on", name="uq_bank_reconciliations_book_id_reconciled_on"),
    )


def downgrade() -> None:
    op.drop_table("bank_reconciliations")
    op.drop_table("bank_line_rules")
    op.drop_index("ix_bank_statement_lines_statement_id", table_name="bank_statement_lines")
    op.drop_table("bank_statement_lines")
    op.drop_table("bank_statements")
    op.drop_table("bank_column_mappings")
    op.drop_table("bank_accounts")
