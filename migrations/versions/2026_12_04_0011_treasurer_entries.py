"""Treasurer entries: donations, cash banked, supplier payments, bank charges and interest, opening balances
and corrections, each kept beside its sealed transaction with who gave or was paid and what for.

Every fund gains `income:<fund>:interest`, `expenses:<fund>:bank-charges` and an expense account per supplier
payment category (`expenses:<fund>:repairs`, materials, events, insurance, hall-hire, other). No transaction
changes, so the hash chain verifies as before; the downgrade removes only accounts nothing was posted to.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (suffix, name, type, normal sign): the accounts as they stood when this revision was made.
ACCOUNTS = [
    ("income", "interest", "bank interest", "income", -1),
    ("expenses", "bank-charges", "bank charges", "expense", 1),
    ("expenses", "repairs", "repairs", "expense", 1),
    ("expenses", "materials", "materials", "expense", 1),
    ("expenses", "events", "events", "expense", 1),
    ("expenses", "insurance", "insurance", "expense", 1),
    ("expenses", "hall-hire", "hall hire", "expense", 1),
    ("expenses", "other", "other", "expense", 1),
]


def upgrade() -> None:
    op.create_table(
        "treasurer_entries",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("fund_id", ID, nullable=True),
        sa.Column("place", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("cash_amount", sa.BigInteger(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("donor", sa.String(length=120), nullable=False),
        sa.Column("donor_public", sa.Boolean(), nullable=False),
        sa.Column("payee", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_by_id", ID, nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by_id", ID, nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("transaction_id", ID, nullable=True),
        sa.Column("corrects_id", ID, nullable=True),
        sa.CheckConstraint(
            "amount >= 0 AND cash_amount >= 0", name=op.f("ck_treasurer_entries_amounts_not_negative")
        ),
        sa.CheckConstraint(
            "status IN ('posted', 'awaiting_approval')", name=op.f("ck_treasurer_entries_status")
        ),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name=op.f("fk_treasurer_entries_book_id_books")),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_treasurer_entries_fund_id_funds")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_treasurer_entries_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_treasurer_entries_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_treasurer_entries_transaction_id_ledger_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_treasurer_entries_corrects_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treasurer_entries")),
        sa.UniqueConstraint("book_id", "form_key", name=op.f("uq_treasurer_entries_book_id_form_key")),
    )
    bind = op.get_bind()
    for prefix, suffix, name, kind, sign in ACCOUNTS:
        bind.execute(
            sa.text(
                "INSERT INTO ledger_accounts (book_id, code, name, type, normal_sign, fund_id, currency, "
                "must_not_go_negative, balance) "
                "SELECT b.id, :prefix || ':' || f.slug || ':' || :suffix, f.name || ': ' || :name, :kind, "
                ":sign, f.id, b.currency, :guarded, 0 "
                "FROM funds f JOIN books b ON b.neighbourhood_id = f.neighbourhood_id "
                "WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.book_id = b.id "
                "AND a.code = :prefix || ':' || f.slug || ':' || :suffix) ORDER BY f.id"
            ),
            {"prefix": prefix, "suffix": suffix, "name": name, "kind": kind, "sign": sign, "guarded": False},
        )


def downgrade() -> None:
    bind = op.get_bind()
    for prefix, suffix, *_rest in ACCOUNTS:
        bind.execute(
            sa.text(
                "DELETE FROM ledger_accounts WHERE fund_id IS NOT NULL AND code LIKE :pattern "
                "AND NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.account_id = ledger_accounts.id)"
            ),
            {"pattern": f"{prefix}:%:{suffix}"},
        )
    op.drop_table("treasurer_entries")
