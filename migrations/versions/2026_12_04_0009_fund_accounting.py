"""Fund accounting: fund types, a fund-balance (equity) account per fund, and closed financial years.

Every fund gets a type (unrestricted, designated, restricted, endowment), a purpose and a "may fund grants"
flag. Funds that exist already are typed by what they were used for. The general fund is unrestricted. A fund
that only pledges paid into (no levy collects into it, no grant round spends from it) holds money people gave
for their pledges' purposes, which makes it restricted in charity law: it becomes restricted, its purpose the
pledges' titles. Every other fund was set aside by the committee, so it becomes designated, which changes
nothing it may do today.

Each fund gains its `equity:<fund>:balance` account. The `closed_periods` table records closed years; the
database refuses a ledger transaction dated on or before a book's latest close (when it is inserted, and
again when it is sealed, under the book's chain-head lock, so a close and a posting cannot pass each other
on PostgreSQL), and refuses to update or delete a closed period.

The downgrade cannot run once a year has been closed: the closing transactions are part of the append-only
chain and refer to the equity accounts.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TYPES = "'unrestricted', 'designated', 'restricted', 'endowment'"
FUND_CHECKS = {
    "fund_type": f"fund_type IN ({TYPES}) AND (NOT is_general OR fund_type = 'unrestricted')",
    "purpose": "fund_type <> 'restricted' OR purpose <> ''",
    "may_fund_grants": "fund_type = 'restricted' OR NOT may_fund_grants",
}
FUND_COLUMNS = {
    "fund_type": "VARCHAR(16) NOT NULL DEFAULT 'unrestricted'",
    "purpose": "TEXT NOT NULL DEFAULT ''",
    "may_fund_grants": "BOOLEAN NOT NULL DEFAULT false",
}
PURPOSE_LIMIT = 1000
CLOSED = "ledger: the period is closed"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER ledger_transactions_period_open BEFORE INSERT ON ledger_transactions
       WHEN EXISTS (SELECT 1 FROM closed_periods c WHERE c.book_id = NEW.book_id
                    AND (date(NEW.effective_date) IS NULL OR date(NEW.effective_date) <= c.closed_through))
       BEGIN SELECT RAISE(ABORT, '{CLOSED}'); END""",
    """CREATE TRIGGER closed_periods_in_order BEFORE INSERT ON closed_periods
       WHEN EXISTS (SELECT 1 FROM closed_periods c WHERE c.book_id = NEW.book_id
                    AND c.closed_through >= NEW.closed_through)
       BEGIN SELECT RAISE(ABORT, 'ledger: a later period is already closed'); END""",
]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION pb_ledger_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         t_book bigint;
         t_date date;
       BEGIN
         IF TG_TABLE_NAME = 'ledger_seals' THEN
           SELECT book_id, effective_date INTO t_book, t_date FROM ledger_transactions
            WHERE id = NEW.transaction_id;
         ELSE
           t_book := NEW.book_id;
           t_date := NEW.effective_date;
         END IF;
         IF EXISTS (SELECT 1 FROM closed_periods WHERE book_id = t_book AND closed_through >= t_date) THEN
           RAISE EXCEPTION '{CLOSED}' USING ERRCODE = 'restrict_violation';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_transactions_period_open BEFORE INSERT ON ledger_transactions
       FOR EACH ROW EXECUTE FUNCTION pb_ledger_period_open()""",
    # Named to fire after ledger_seals_check, which holds the book's chain-head lock: a close committed
    # while this transaction waited for that lock is seen here.
    """CREATE TRIGGER ledger_seals_period_open BEFORE INSERT ON ledger_seals
       FOR EACH ROW EXECUTE FUNCTION pb_ledger_period_open()""",
    """CREATE FUNCTION pb_closed_periods_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM closed_periods WHERE book_id = NEW.book_id
                    AND closed_through >= NEW.closed_through) THEN
           RAISE EXCEPTION 'ledger: a later period is already closed' USING ERRCODE = 'restrict_violation';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER closed_periods_in_order BEFORE INSERT ON closed_periods
       FOR EACH ROW EXECUTE FUNCTION pb_closed_periods_in_order()""",
]


def _add_fund_columns(postgres: bool) -> None:
    for column, definition in FUND_COLUMNS.items():
        if postgres:
            op.execute(f"ALTER TABLE funds ADD COLUMN {column} {definition}")
            op.create_check_constraint(op.f(f"ck_funds_{column}"), "funds", FUND_CHECKS[column])
        else:
            # SQLite adds a CHECK only with its column; it may still name the table's other columns.
            op.execute(
                f"ALTER TABLE funds ADD COLUMN {column} {definition} "
                f"CONSTRAINT ck_funds_{column} CHECK ({FUND_CHECKS[column]})"
            )


def _type_existing_funds() -> None:
    bind = op.get_bind()
    pledged: dict[int, list[str]] = {}
    for fund_id, title in bind.execute(sa.text("SELECT fund_id, title FROM pledges ORDER BY id")):
        pledged.setdefault(fund_id, []).append(title)
    used_otherwise = set(bind.scalars(sa.text("SELECT fund_id FROM levies"))) | set(
        bind.scalars(sa.text("SELECT fund_id FROM grant_rounds"))
    )
    for fund_id, is_general in bind.execute(sa.text("SELECT id, is_general FROM funds")).all():
        if is_general:
            continue
        if fund_id in pledged and fund_id not in used_otherwise:
            purpose = ("Pledged for: " + "; ".join(dict.fromkeys(pledged[fund_id])))[:PURPOSE_LIMIT]
            bind.execute(
                sa.text("UPDATE funds SET fund_type = 'restricted', purpose = :purpose WHERE id = :id"),
                {"purpose": purpose, "id": fund_id},
            )
        else:
            bind.execute(sa.text("UPDATE funds SET fund_type = 'designated' WHERE id = :id"), {"id": fund_id})


def _open_equity_accounts() -> None:
    op.get_bind().execute(
        sa.text(
            "INSERT INTO ledger_accounts (book_id, code, name, type, normal_sign, fund_id, currency, "
            "must_not_go_negative, balance) "
            "SELECT b.id, 'equity:' || f.slug || :suffix, f.name || :name, 'equity', -1, f.id, b.currency, "
            "false, 0 FROM funds f JOIN books b ON b.neighbourhood_id = f.neighbourhood_id ORDER BY f.id"
        ),
        {"suffix": ":balance", "name": ": fund balance"},
    )


def _append_only(postgres: bool) -> None:
    if postgres:
        op.execute(
            "CREATE TRIGGER closed_periods_append_only BEFORE UPDATE OR DELETE ON closed_periods "
            "FOR EACH ROW EXECUTE FUNCTION pb_append_only()"
        )
        op.execute(
            "CREATE TRIGGER closed_periods_no_truncate BEFORE TRUNCATE ON closed_periods "
            "FOR EACH STATEMENT EXECUTE FUNCTION pb_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER closed_periods_no_{event.lower()} BEFORE {event} ON closed_periods "
            "BEGIN SELECT RAISE(ABORT, 'closed_periods is append-only'); END"
        )
    # INSERT OR REPLACE deletes a clashing row without firing delete triggers; refuse the clash first.
    op.execute(
        "CREATE TRIGGER closed_periods_no_replace BEFORE INSERT ON closed_periods "
        "WHEN EXISTS (SELECT 1 FROM closed_periods WHERE id = NEW.id "
        "OR (book_id = NEW.book_id AND closed_through = NEW.closed_through)) "
        "BEGIN SELECT RAISE(ABORT, 'closed_periods is append-only: the row exists'); END"
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _add_fund_columns(postgres)
    _type_existing_funds()
    _open_equity_accounts()
    op.create_table(
        "closed_periods",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("closed_through", sa.Date(), nullable=False),
        sa.Column("transaction_id", ID, nullable=True),
        sa.Column("closed_by_id", ID, nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name="fk_closed_periods_book_id_books"),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name="fk_closed_periods_transaction_id_ledger_transactions",
        ),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"], name="fk_closed_periods_closed_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_closed_periods"),
        sa.UniqueConstraint("book_id", "closed_through", name="uq_closed_periods_book_id_closed_through"),
    )
    _append_only(postgres)
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER ledger_transactions_period_open ON ledger_transactions")
        op.execute("DROP TRIGGER ledger_seals_period_open ON ledger_seals")
    else:
        op.execute("DROP TRIGGER ledger_transactions_period_open")
    op.drop_table("closed_periods")
    if postgres:
        op.execute("DROP FUNCTION pb_ledger_period_open()")
        op.execute("DROP FUNCTION pb_closed_periods_in_order()")
    op.get_bind().execute(
        sa.text("DELETE FROM ledger_accounts WHERE type = 'equity' AND code LIKE :pattern"),
        {"pattern": "equity:%:balance"},
    )
    # SQLite drops a column only with the CHECK that belongs to it, so the columns other checks name go last.
    for column in ("purpose", "may_fund_grants", "fund_type"):
        if postgres:
            op.drop_constraint(op.f(f"ck_funds_{column}"), "funds", type_="check")
        op.drop_column("funds", column)
