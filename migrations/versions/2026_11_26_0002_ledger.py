"""The audit ledger: books, accounts, sealed hash-chained transactions, postings, chain heads.

The database keeps the books honest by itself, on SQLite and PostgreSQL alike: transactions, postings and
seals are append-only; a posting's currency is its account's (composite foreign key); a seal is refused unless
the postings balance per currency and the transaction follows its book's chain head, which the seal advances;
balances are maintained by a trigger and guarded by a CHECK; a transaction must be sealed by commit time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

APPEND_ONLY = {
    "ledger_transactions": "id = NEW.id OR (book_id = NEW.book_id AND sequence = NEW.sequence) "
    "OR (book_id = NEW.book_id AND idempotency_key = NEW.idempotency_key) "
    "OR (NEW.reverses_id IS NOT NULL AND reverses_id = NEW.reverses_id)",
    "ledger_postings": "id = NEW.id OR (transaction_id = NEW.transaction_id AND line = NEW.line)",
    "ledger_seals": "transaction_id = NEW.transaction_id",
}

SQLITE_TRIGGERS = [
    # A sealed transaction takes no more postings.
    """CREATE TRIGGER ledger_postings_unsealed_only BEFORE INSERT ON ledger_postings
       WHEN EXISTS (SELECT 1 FROM ledger_seals WHERE transaction_id = NEW.transaction_id)
       BEGIN SELECT RAISE(ABORT, 'ledger: the transaction is sealed'); END""",
    # Balances follow the postings, and the guard CHECK on ledger_accounts applies to every change.
    """CREATE TRIGGER ledger_postings_balance AFTER INSERT ON ledger_postings
       BEGIN UPDATE ledger_accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id; END""",
    """CREATE TRIGGER ledger_seals_check BEFORE INSERT ON ledger_seals
       BEGIN
         SELECT RAISE(ABORT, 'ledger: a transaction needs at least two postings')
          WHERE (SELECT count(*) FROM ledger_postings WHERE transaction_id = NEW.transaction_id) < 2;
         SELECT RAISE(ABORT, 'ledger: postings do not sum to zero in each currency')
          WHERE EXISTS (SELECT 1 FROM ledger_postings WHERE transaction_id = NEW.transaction_id
                        GROUP BY currency HAVING sum(amount) <> 0);
         SELECT RAISE(ABORT, 'ledger: the transaction does not follow the chain head')
          WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t
                            JOIN ledger_chain_heads h ON h.book_id = t.book_id
                            WHERE t.id = NEW.transaction_id AND t.sequence = h.sequence + 1
                              AND t.prev_hash = h.hash);
       END""",
    """CREATE TRIGGER ledger_seals_advance_head AFTER INSERT ON ledger_seals
       BEGIN
         UPDATE ledger_chain_heads
            SET sequence = (SELECT sequence FROM ledger_transactions WHERE id = NEW.transaction_id),
                hash = (SELECT hash FROM ledger_transactions WHERE id = NEW.transaction_id)
          WHERE book_id = (SELECT book_id FROM ledger_transactions WHERE id = NEW.transaction_id);
       END""",
    # The guard flag is fixed too: switching it off would let a guarded account be overdrawn.
    """CREATE TRIGGER ledger_accounts_fixed BEFORE UPDATE OF id, book_id, code, currency, type, normal_sign,
       must_not_go_negative ON ledger_accounts
       BEGIN SELECT RAISE(ABORT, 'ledger: an account''s identity, currency and guard never change'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION pb_ledger_posting_unsealed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM ledger_seals WHERE transaction_id = NEW.transaction_id) THEN
           RAISE EXCEPTION 'ledger: the transaction is sealed' USING ERRCODE = 'restrict_violation';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_postings_unsealed_only BEFORE INSERT ON ledger_postings
       FOR EACH ROW EXECUTE FUNCTION pb_ledger_posting_unsealed()""",
    """CREATE FUNCTION pb_ledger_posting_balance() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE ledger_accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER ledger_postings_balance AFTER INSERT ON ledger_postings
       FOR EACH ROW EXECUTE FUNCTION pb_ledger_posting_balance()""",
    """CREATE FUNCTION pb_ledger_seal() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         t ledger_transactions%ROWTYPE;
         h ledger_chain_heads%ROWTYPE;
       BEGIN
         SELECT * INTO t FROM ledger_transactions WHERE id = NEW.transaction_id;
         IF (SELECT count(*) FROM ledger_postings WHERE transaction_id = NEW.transaction_id) < 2 THEN
           RAISE EXCEPTION 'ledger: a transaction needs at least two postings'
             USING ERRCODE = 'check_violation';
         END IF;
         IF EXISTS (SELECT 1 FROM ledger_postings WHERE transaction_id = NEW.transaction_id
                    GROUP BY currency HAVING sum(amount) <> 0) THEN
           RAISE EXCEPTION 'ledger: postings do not sum to zero in each currency'
             USING ERRCODE = 'check_violation';
         END IF;
         SELECT * INTO h FROM ledger_chain_heads WHERE book_id = t.book_id FOR UPDATE;
         IF t.sequence <> h.sequence + 1 OR t.prev_hash <> h.hash THEN
           RAISE EXCEPTION 'ledger: the transaction does not follow the chain head'
             USING ERRCODE = 'check_violation';
         END IF;
         IF t.hash <> sha256(t.prev_hash || t.canonical) THEN
           RAISE EXCEPTION 'ledger: the hash does not cover the previous hash and the sealed bytes'
             USING ERRCODE = 'check_violation';
         END IF;
         UPDATE ledger_chain_heads SET sequence = t.sequence, hash = t.hash WHERE book_id = t.book_id;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_seals_check BEFORE INSERT ON ledger_seals
       FOR EACH ROW EXECUTE FUNCTION pb_ledger_seal()""",
    """CREATE FUNCTION pb_ledger_account_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.id <> OLD.id OR NEW.book_id <> OLD.book_id OR NEW.code <> OLD.code
            OR NEW.currency <> OLD.currency OR NEW.type <> OLD.type OR NEW.normal_sign <> OLD.normal_sign
            OR NEW.must_not_go_negative <> OLD.must_not_go_negative THEN
           RAISE EXCEPTION 'ledger: an account''s identity, currency and guard never change'
             USING ERRCODE = 'restrict_violation';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_accounts_fixed BEFORE UPDATE ON ledger_accounts
       FOR EACH ROW EXECUTE FUNCTION pb_ledger_account_fixed()""",
]


def _append_only(table: str, conflict: str, postgres: bool) -> None:
    if postgres:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pb_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pb_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
    # INSERT OR REPLACE deletes a clashing row without firing delete triggers; refuse the clash first.
    op.execute(
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {conflict}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: the row exists'); END"
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "books",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name="fk_books_neighbourhood_id_neighbourhoods"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_books"),
        sa.UniqueConstraint("neighbourhood_id", name="uq_books_neighbourhood_id"),
        sa.UniqueConstraint("slug", name="uq_books_slug"),
    )
    op.create_table(
        "ledger_chain_heads",
        sa.Column("book_id", ID, nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name="fk_ledger_chain_heads_book_id_books"),
        sa.PrimaryKeyConstraint("book_id", name="pk_ledger_chain_heads"),
    )
    op.create_table(
        "ledger_accounts",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("normal_sign", sa.SmallInteger(), nullable=False),
        sa.Column("fund_id", ID, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("must_not_go_negative", sa.Boolean(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "NOT must_not_go_negative OR balance * normal_sign >= 0", name="ck_ledger_accounts_guard"
        ),
        sa.CheckConstraint("normal_sign IN (1, -1)", name="ck_ledger_accounts_normal_sign"),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name="fk_ledger_accounts_book_id_books"),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name="fk_ledger_accounts_fund_id_funds"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_accounts"),
        sa.UniqueConstraint("book_id", "code", name="uq_ledger_accounts_book_id_code"),
        sa.UniqueConstraint("id", "book_id", "currency", name="uq_ledger_accounts_id_book_currency"),
    )
    seal_fk = (
        []
        if postgres
        else [
            # SQLite cannot add a constraint later; it accepts a reference to a table created further down.
            sa.ForeignKeyConstraint(
                ["id"],
                ["ledger_seals.transaction_id"],
                name="fk_ledger_transactions_id_ledger_seals",
                deferrable=True,
                initially="DEFERRED",
            ),
        ]
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("memo", sa.String(200), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("reverses_id", ID, nullable=True),
        sa.Column("format_version", sa.SmallInteger(), nullable=False),
        sa.Column("canonical", sa.LargeBinary(), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("sequence >= 1", name="ck_ledger_transactions_sequence_positive"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name="fk_ledger_transactions_actor_id_users"),
        sa.ForeignKeyConstraint(["book_id"], ["books.id"], name="fk_ledger_transactions_book_id_books"),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["ledger_transactions.id"],
            name="fk_ledger_transactions_reverses_id_ledger_transactions",
        ),
        *seal_fk,
        sa.PrimaryKeyConstraint("id", name="pk_ledger_transactions"),
        sa.UniqueConstraint(
            "book_id", "idempotency_key", name="uq_ledger_transactions_book_id_idempotency_key"
        ),
        sa.UniqueConstraint("book_id", "sequence", name="uq_ledger_transactions_book_id_sequence"),
        sa.UniqueConstraint("id", "book_id", name="uq_ledger_transactions_id_book"),
        sa.UniqueConstraint("reverses_id", name="uq_ledger_transactions_reverses_id"),
    )
    op.create_table(
        "ledger_postings",
        sa.Column("id", ID, nullable=False),
        sa.Column("transaction_id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("line", sa.SmallInteger(), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.CheckConstraint("amount <> 0", name="ck_ledger_postings_amount_nonzero"),
        sa.ForeignKeyConstraint(
            ["account_id", "book_id", "currency"],
            ["ledger_accounts.id", "ledger_accounts.book_id", "ledger_accounts.currency"],
            name="fk_ledger_postings_account_book_currency",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id", "book_id"],
            ["ledger_transactions.id", "ledger_transactions.book_id"],
            name="fk_ledger_postings_transaction_book",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_postings"),
        sa.UniqueConstraint("transaction_id", "line", name="uq_ledger_postings_transaction_id_line"),
    )
    op.create_index("ix_ledger_postings_account_id", "ledger_postings", ["account_id"])
    op.create_table(
        "ledger_seals",
        sa.Column("transaction_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name="fk_ledger_seals_transaction_id_ledger_transactions",
        ),
        sa.PrimaryKeyConstraint("transaction_id", name="pk_ledger_seals"),
    )
    if postgres:
        op.create_foreign_key(
            "fk_ledger_transactions_id_ledger_seals",
            "ledger_transactions",
            "ledger_seals",
            ["id"],
            ["transaction_id"],
            deferrable=True,
            initially="DEFERRED",
        )
    for table, conflict in APPEND_ONLY.items():
        _append_only(table, conflict, postgres)
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_constraint(
            "fk_ledger_transactions_id_ledger_seals", "ledger_transactions", type_="foreignkey"
        )
    op.drop_table("ledger_seals")
    op.drop_table("ledger_postings")
    op.drop_table("ledger_transactions")
    op.drop_table("ledger_accounts")
    op.drop_table("ledger_chain_heads")
    op.drop_table("books")
    if postgres:
        for function in (
            "pb_ledger_posting_unsealed",
            "pb_ledger_posting_balance",
            "pb_ledger_seal",
            "pb_ledger_account_fixed",
        ):
            op.execute(f"DROP FUNCTION {function}()")
