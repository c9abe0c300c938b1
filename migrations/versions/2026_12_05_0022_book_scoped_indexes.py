"""Indexes that let every query on one book read only that book's transactions and postings.

Transactions by book and date (and sequence, the exports' date order), postings by book and transaction, and
a fund's accounts by fund: a small neighbourhood's pages, balances and statements then cost the same beside a
large neighbourhood as alone.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    (
        "ix_ledger_transactions_book_id_effective_date",
        "ledger_transactions",
        ["book_id", "effective_date", "sequence"],
    ),
    ("ix_ledger_postings_book_id_transaction_id", "ledger_postings", ["book_id", "transaction_id"]),
    ("ix_ledger_accounts_fund_id", "ledger_accounts", ["fund_id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
