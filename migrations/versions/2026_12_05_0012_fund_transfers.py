"""Transfers between funds: each proposed by one officer and posted to the ledger when a second approves.

A new table only; no transaction changes, so the hash chain verifies as before. The ledger kind
`fund_transfer` needs no schema change (kinds are not listed in the database).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "fund_transfers",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("from_fund_id", ID, nullable=False),
        sa.Column("to_fund_id", ID, nullable=False),
        sa.Column("place", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("basis_note", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposed_by_id", ID, nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", ID, nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("transaction_id", ID, nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_fund_transfers_amount_positive")),
        sa.CheckConstraint("from_fund_id <> to_fund_id", name=op.f("ck_fund_transfers_two_funds")),
        sa.CheckConstraint(
            "status IN ('proposed', 'posted', 'declined', 'cancelled')", name=op.f("ck_fund_transfers_status")
        ),
        sa.CheckConstraint(
            "basis IN ('', 'purpose_met', 'donors_agreed')", name=op.f("ck_fund_transfers_basis")
        ),
        sa.CheckConstraint("place IN ('bank', 'cash')", name=op.f("ck_fund_transfers_place")),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name=op.f("fk_fund_transfers_book_id_books")),
        sa.ForeignKeyConstraint(
            ["from_fund_id"], ["funds.id"], name=op.f("fk_fund_transfers_from_fund_id_funds")
        ),
        sa.ForeignKeyConstraint(
            ["to_fund_id"], ["funds.id"], name=op.f("fk_fund_transfers_to_fund_id_funds")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_fund_transfers_proposed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_fund_transfers_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_fund_transfers_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_transfers")),
        sa.UniqueConstraint("book_id", "form_key", name=op.f("uq_fund_transfers_book_id_form_key")),
    )


def downgrade() -> None:
    op.drop_table("fund_transfers")
