"""Per-account monthly totals, kept by the database as each transaction is sealed, backfilled from history.

One row per account and month an account was posted in: the net of its postings (`amount`), the part of it
that year-end closes posted (`closed`), and its debits and credits in transactions that move money through
the bank, the cash box or Stripe clearing (`cash_debits`, `cash_credits`; a year-end close and the move of
legacy balances into fund shares are not counted there). The public chart reads money in and out per fund
and month from these, and the money page's figures read what year-end closes moved, so neither reads the
postings. A trigger on the seal keeps them, on SQLite and PostgreSQL alike; `ledger verify` recomputes them.

Revision ID: 0026
Revises: 0019
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The cash places of exports/cash_flows.py and their funds' shares (`assets:bank:<fund>`).
CASH = (
    "(a.code IN ('assets:bank', 'assets:cash', 'assets:stripe-clearing') OR a.code LIKE 'assets:bank:%' "
    "OR a.code LIKE 'assets:cash:%' OR a.code LIKE 'assets:stripe-clearing:%')"
)
NOT_FLOWS = "('year_closed', 'legacy_attributed')"
MONTH = {
    "sqlite": "date(t.effective_date, 'start of month')",
    "postgresql": "date_trunc('month', t.effective_date)::date",
}


def _totals(dialect: str, where: str) -> str:
    """The monthly totals of the postings of the transactions `where` picks (alias t), one row per account."""
    moves = (
        f"(t.kind NOT IN {NOT_FLOWS} AND EXISTS (SELECT 1 FROM ledger_postings c "
        f"JOIN ledger_accounts a ON a.id = c.account_id WHERE c.transaction_id = t.id AND {CASH}))"
    )
    return f"""
      SELECT p.account_id, {MONTH[dialect]}, p.book_id, sum(p.amount),
             sum(CASE WHEN t.kind = 'year_closed' THEN p.amount ELSE 0 END),
             sum(CASE WHEN m.moves AND p.amount > 0 THEN p.amount ELSE 0 END),
             sum(CASE WHEN m.moves AND p.amount < 0 THEN p.amount ELSE 0 END)
        FROM ledger_transactions t
        JOIN (SELECT t.id, {moves} AS moves FROM ledger_transactions t WHERE {where}) m ON m.id = t.id
        JOIN ledger_postings p ON p.transaction_id = t.id AND p.book_id = t.book_id
       GROUP BY p.account_id, {MONTH[dialect]}, p.book_id"""


COLUMNS = "(account_id, month, book_id, amount, closed, cash_debits, cash_credits)"
UPSERT = "ON CONFLICT (account_id, month) DO UPDATE SET " + ", ".join(
    f"{column} = ledger_monthly_totals.{column} + excluded.{column}"
    for column in ("amount", "closed", "cash_debits", "cash_credits")
)


def _triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            f"""CREATE FUNCTION pb_ledger_monthly_totals() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN
                 INSERT INTO ledger_monthly_totals {COLUMNS}
                 {_totals(dialect, "t.id = NEW.transaction_id")}
                 {UPSERT};
                 RETURN NULL;
               END $$""",
            """CREATE TRIGGER ledger_seals_monthly_totals AFTER INSERT ON ledger_seals
               FOR EACH ROW EXECUTE FUNCTION pb_ledger_monthly_totals()""",
        ]
    return [
        f"""CREATE TRIGGER ledger_seals_monthly_totals AFTER INSERT ON ledger_seals
           BEGIN
             INSERT INTO ledger_monthly_totals {COLUMNS}
             {_totals(dialect, "t.id = NEW.transaction_id")}
             {UPSERT};
           END"""
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "ledger_monthly_totals",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("closed", sa.BigInteger(), nullable=False),
        sa.Column("cash_debits", sa.BigInteger(), nullable=False),
        sa.Column("cash_credits", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_accounts.id"], name="fk_ledger_monthly_totals_account_id_ledger_accounts"
        ),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name="fk_ledger_monthly_totals_book_id_books"),
        sa.PrimaryKeyConstraint("account_id", "month", name="pk_ledger_monthly_totals"),
    )
    op.create_index("ix_ledger_monthly_totals_book_id_month", "ledger_monthly_totals", ["book_id", "month"])
    op.execute(f"INSERT INTO ledger_monthly_totals {COLUMNS} {_totals(dialect, 'true')}")
    for statement in _triggers(dialect):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_seals_monthly_totals ON ledger_seals")
        op.execute("DROP FUNCTION pb_ledger_monthly_totals()")
    else:
        op.execute("DROP TRIGGER ledger_seals_monthly_totals")
    op.drop_index("ix_ledger_monthly_totals_book_id_month", table_name="ledger_monthly_totals")
    op.drop_table("ledger_monthly_totals")
