"""The database itself refuses every way of writing a bad ledger with raw SQL, on SQLite and PostgreSQL.

Each case runs in one database transaction on a real connection, after the book has eight sealed
transactions; the test asserts the database's own error (trigger message or constraint name) and that no
row of the ledger changed. Since no case may change anything, the cases share one copy of the book.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from pledgebank.books.services import book_by_slug
from pledgebank.books.verify import check_book
from pledgebank.db import make_session_factory, unit_of_work
from tests.helpers.ledger_sql import (
    BANK,
    DEFERRED,
    RECEIVABLES,
    LedgerBook,
    insert_posting,
    insert_transaction,
    seal,
    snapshot,
)

NOT_BALANCED = "ledger: postings do not sum to zero in each currency"
NOT_FOLLOWING = "ledger: the transaction does not follow the chain head"
FIXED_ACCOUNT = "ledger: an account's identity, currency and guard never change"
ROW_EXISTS = "is append-only: the row exists"
SEALED = "ledger: the transaction is sealed"


@dataclass(frozen=True, slots=True)
class Case:
    """One attempt to break the ledger and the error each backend must answer with."""

    name: str
    attack: Callable[[Connection, LedgerBook], None]
    sqlite: str
    postgresql: str

    def expected(self, dialect: str) -> str:
        """The error text this backend must report."""
        return self.sqlite if dialect == "sqlite" else self.postgresql


def both(message: str) -> dict[str, str]:
    """The same message on both backends."""
    return {"sqlite": message, "postgresql": message}


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def unbalanced(conn, book):
    seal(conn, insert_transaction(conn, book, [(RECEIVABLES, 100, "GBP"), (DEFERRED, -50, "GBP")]))


def cross_currency(conn, book):
    euro = conn.execute(
        text(
            "INSERT INTO ledger_accounts (book_id, code, name, type, normal_sign, currency, "
            "must_not_go_negative, balance) VALUES (:b, 'assets:euro', 'Euro', 'asset', 1, 'EUR', :f, 0) "
            "RETURNING id"
        ),
        {"b": book.book_id, "f": False},
    ).scalar_one()
    with_euro = dataclasses.replace(book, accounts={**book.accounts, "assets:euro": euro})
    postings = [(RECEIVABLES, 100, "GBP"), ("assets:euro", -100, "EUR")]
    seal(conn, insert_transaction(conn, with_euro, postings))


def single_leg(conn, book):
    seal(conn, insert_transaction(conn, book, [(RECEIVABLES, 100, "GBP")]))


def zero_amount(conn, book):
    seal(conn, insert_transaction(conn, book, [(RECEIVABLES, 0, "GBP"), (DEFERRED, 0, "GBP")]))


def currency_not_the_accounts(conn, book):
    seal(conn, insert_transaction(conn, book, [(RECEIVABLES, 100, "EUR"), (DEFERRED, -100, "EUR")]))


def posting_added_to_sealed(conn, book):
    insert_posting(conn, book, book.transactions[3], 9, book.accounts[RECEIVABLES], 100, "GBP")


def update_posting_amount(conn, book):
    conn.execute(
        text("UPDATE ledger_postings SET amount = amount + 1 WHERE transaction_id = :t AND line = 1"),
        {"t": book.transactions[2]},
    )


def update_transaction_memo(conn, book):
    conn.execute(
        text("UPDATE ledger_transactions SET memo = 'nothing to see' WHERE id = :t"),
        {"t": book.transactions[4]},
    )


def delete_posting(conn, book):
    conn.execute(text("DELETE FROM ledger_postings WHERE transaction_id = :t"), {"t": book.transactions[5]})


def delete_transaction(conn, book):
    conn.execute(text("DELETE FROM ledger_transactions WHERE id = :t"), {"t": book.transactions[book.head]})


def delete_seal(conn, book):
    conn.execute(text("DELETE FROM ledger_seals WHERE transaction_id = :t"), {"t": book.transactions[1]})


def unsealed_at_commit(conn, book):
    transaction_id = insert_transaction(conn, book, [(RECEIVABLES, 100, "GBP"), (DEFERRED, -100, "GBP")])
    # Every row went in: only the commit can refuse this, through the deferred key to the seals.
    written = text("SELECT count(*) FROM ledger_postings WHERE transaction_id = :t")
    assert conn.execute(written, {"t": transaction_id}).scalar_one() == 2


def skips_a_sequence(conn, book):
    postings = [(RECEIVABLES, 100, "GBP"), (DEFERRED, -100, "GBP")]
    seal(conn, insert_transaction(conn, book, postings, sequence=book.head + 2))


def wrong_prev_hash(conn, book):
    postings = [(RECEIVABLES, 100, "GBP"), (DEFERRED, -100, "GBP")]
    seal(conn, insert_transaction(conn, book, postings, prev_hash=hashlib.sha256(b"forged").digest()))


def reuses_a_sequence(conn, book):
    postings = [(RECEIVABLES, 100, "GBP"), (DEFERRED, -100, "GBP")]
    seal(conn, insert_transaction(conn, book, postings, sequence=book.head))


def _reinsert(
    conn, table: str, where: str, params: dict, change: tuple[str, str], conflict: str = ""
) -> None:
    """Insert a copy of an existing row with one column changed: INSERT OR REPLACE (SQLite) or an upsert."""
    columns = list(conn.execute(text(f"SELECT * FROM {table} WHERE 1 = 0")).keys())  # noqa: S608
    column, value = change
    chosen = ", ".join(value if name == column else name for name in columns)
    statement = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table} WHERE {where}"  # noqa: S608
    if conflict or _postgres(conn):
        statement += f" ON CONFLICT ({conflict or 'id'}) DO UPDATE SET {column} = EXCLUDED.{column}"
    else:
        statement = statement.replace("INSERT", "INSERT OR REPLACE", 1)
    conn.execute(text(statement), params)


def replace_transaction(conn, book):
    _reinsert(conn, "ledger_transactions", "id = :t", {"t": book.transactions[3]}, ("memo", "'rewritten'"))


def upsert_transaction(conn, book):
    params = {"t": book.transactions[4]}
    conflict = "book_id, idempotency_key"
    _reinsert(conn, "ledger_transactions", "id = :t", params, ("memo", "'rewritten'"), conflict)


def replace_posting(conn, book):
    where, params = "transaction_id = :t AND line = 1", {"t": book.transactions[2]}
    _reinsert(conn, "ledger_postings", where, params, ("amount", "amount * 2"))


def upsert_posting(conn, book):
    where, params = "transaction_id = :t AND line = 1", {"t": book.transactions[2]}
    _reinsert(conn, "ledger_postings", where, params, ("amount", "amount * 2"), "transaction_id, line")


def truncate_postings(conn, book):
    conn.execute(text("TRUNCATE ledger_postings" if _postgres(conn) else "DELETE FROM ledger_postings"))


def truncate_ledger(conn, book):
    if _postgres(conn):
        # CASCADE, as an attacker would: other tables (grant decisions, levy charges) refer to transactions.
        conn.execute(text("TRUNCATE ledger_seals, ledger_postings, ledger_transactions CASCADE"))
    else:
        conn.execute(text("DELETE FROM ledger_seals"))


def bank_overdrawn(conn, book):
    bank = conn.execute(text("SELECT balance FROM ledger_accounts WHERE id = :a"), {"a": book.accounts[BANK]})
    overdraw = bank.scalar_one() + 1
    seal(conn, insert_transaction(conn, book, [(RECEIVABLES, overdraw, "GBP"), (BANK, -overdraw, "GBP")]))


def bank_balance_set_negative(conn, book):
    conn.execute(text("UPDATE ledger_accounts SET balance = -1 WHERE id = :a"), {"a": book.accounts[BANK]})


def account_currency_changed(conn, book):
    conn.execute(
        text("UPDATE ledger_accounts SET currency = 'EUR' WHERE id = :a"), {"a": book.accounts[RECEIVABLES]}
    )


def account_code_changed(conn, book):
    conn.execute(
        text("UPDATE ledger_accounts SET code = 'assets:elsewhere' WHERE id = :a"), {"a": book.accounts[BANK]}
    )


def guard_switched_off(conn, book):
    conn.execute(
        text("UPDATE ledger_accounts SET must_not_go_negative = :f WHERE id = :a"),
        {"f": False, "a": book.accounts[BANK]},
    )


def reversed_twice(conn, book):
    # Sequence 8 is the service's reversal of sequence 7; this is a second one, under a fresh key.
    original = (book.transactions[7], "t:levy:1")
    postings = [(RECEIVABLES, -3_000, "GBP"), (DEFERRED, 3_000, "GBP")]
    seal(conn, insert_transaction(conn, book, postings, key="raw:reversal", reverses=original))


def duplicate_key(conn, book):
    postings = [(RECEIVABLES, 100, "GBP"), (DEFERRED, -100, "GBP")]
    seal(conn, insert_transaction(conn, book, postings, key="t:cash:1"))


def sealed_twice(conn, book):
    seal(conn, book.transactions[2])


CASES = [
    Case("unbalanced", unbalanced, **both(NOT_BALANCED)),
    Case("cross-currency-nets-to-zero", cross_currency, **both(NOT_BALANCED)),
    Case("single-leg", single_leg, **both("ledger: a transaction needs at least two postings")),
    Case("zero-amount", zero_amount, **both("ck_ledger_postings_amount_nonzero")),
    Case(
        "currency-not-the-accounts",
        currency_not_the_accounts,
        sqlite="FOREIGN KEY constraint failed",
        postgresql="fk_ledger_postings_account_book_currency",
    ),
    Case("posting-added-to-sealed", posting_added_to_sealed, **both(SEALED)),
    Case("update-posting-amount", update_posting_amount, **both("ledger_postings is append-only")),
    Case("update-transaction-memo", update_transaction_memo, **both("ledger_transactions is append-only")),
    Case("delete-posting", delete_posting, **both("ledger_postings is append-only")),
    Case("delete-transaction", delete_transaction, **both("ledger_transactions is append-only")),
    Case("delete-seal", delete_seal, **both("ledger_seals is append-only")),
    Case(
        "unsealed-at-commit",
        unsealed_at_commit,
        sqlite="FOREIGN KEY constraint failed",
        postgresql="fk_ledger_transactions_id_ledger_seals",
    ),
    Case("skips-a-sequence", skips_a_sequence, **both(NOT_FOLLOWING)),
    Case("wrong-prev-hash", wrong_prev_hash, **both(NOT_FOLLOWING)),
    Case(
        "reuses-a-sequence",
        reuses_a_sequence,
        sqlite="ledger_transactions " + ROW_EXISTS,
        postgresql="uq_ledger_transactions_book_id_sequence",
    ),
    Case(
        "replace-transaction",
        replace_transaction,
        sqlite="ledger_transactions " + ROW_EXISTS,
        postgresql="ledger_transactions is append-only",
    ),
    Case(
        "upsert-transaction",
        upsert_transaction,
        sqlite="ledger_transactions " + ROW_EXISTS,
        postgresql="ledger_transactions is append-only",
    ),
    # On both backends the insert trigger refuses any posting to a sealed transaction before a clash is seen.
    Case("replace-posting", replace_posting, **both(SEALED)),
    Case("upsert-posting", upsert_posting, **both(SEALED)),
    Case("truncate-postings", truncate_postings, **both("ledger_postings is append-only")),
    Case("truncate-ledger", truncate_ledger, **both("ledger_seals is append-only")),
    Case("bank-overdrawn", bank_overdrawn, **both("ck_ledger_accounts_guard")),
    Case("bank-balance-set-negative", bank_balance_set_negative, **both("ck_ledger_accounts_guard")),
    Case("account-currency-changed", account_currency_changed, **both(FIXED_ACCOUNT)),
    Case("account-code-changed", account_code_changed, **both(FIXED_ACCOUNT)),
    Case("guard-switched-off", guard_switched_off, **both(FIXED_ACCOUNT)),
    Case(
        "reversed-twice",
        reversed_twice,
        sqlite="ledger_transactions " + ROW_EXISTS,
        postgresql="uq_ledger_transactions_reverses_id",
    ),
    Case(
        "duplicate-idempotency-key",
        duplicate_key,
        sqlite="ledger_transactions " + ROW_EXISTS,
        postgresql="uq_ledger_transactions_book_id_idempotency_key",
    ),
    Case("sealed-twice", sealed_twice, **both(NOT_FOLLOWING)),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_database_refuses(case, shared_engine, shared_book):
    before = snapshot(shared_engine)
    with pytest.raises(IntegrityError) as refused, shared_engine.begin() as conn:
        case.attack(conn, shared_book)
    assert case.expected(shared_engine.dialect.name) in str(refused.value.orig)
    assert snapshot(shared_engine) == before
    with unit_of_work(make_session_factory(shared_engine)) as session:
        assert check_book(session, book_by_slug(session, shared_book.slug)).ok


def test_a_well_formed_raw_transaction_is_accepted(engine, ledger_book, sessions):
    """The control for the cases above: the same raw SQL, done right, is sealed and advances the head."""
    with engine.begin() as conn:
        postings = [(RECEIVABLES, 100, "GBP"), (DEFERRED, -100, "GBP")]
        seal(conn, insert_transaction(conn, ledger_book, postings, key="raw:good"))
    with engine.connect() as conn:
        head = conn.execute(
            text("SELECT sequence FROM ledger_chain_heads WHERE book_id = :b"), {"b": ledger_book.book_id}
        ).scalar_one()
    assert head == ledger_book.head + 1
    with unit_of_work(sessions) as session:
        assert check_book(session, book_by_slug(session, ledger_book.slug)).ok
