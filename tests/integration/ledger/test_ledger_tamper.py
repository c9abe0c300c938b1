"""Someone with the database's keys turns the guards off and rewrites history: verification catches it all.

Each tamper first removes the triggers (SQLite: DROP TRIGGER with the migration's names; PostgreSQL:
DISABLE TRIGGER USER), then edits rows with raw SQL. `check_book` must report the book as broken and name
the first bad sequence number, or the account for a balance-only edit. (test_ledger_verify_cli.py commits
tampers and runs `pledgebank ledger verify` on them.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pledgebank.books.services import book_by_slug
from pledgebank.books.verify import check_book
from tests.helpers.ledger_sql import (
    BANK,
    CASH,
    DEFERRED,
    RECEIVABLES,
    LedgerBook,
    insert_transaction,
    seal,
)
from tests.helpers.ledger_tampering import guards_off, run


def _hash_of(conn: Connection, transaction_id: int) -> bytes:
    row = conn.execute(text("SELECT hash FROM ledger_transactions WHERE id = :t"), {"t": transaction_id})
    return bytes(row.scalar_one())


def amount(conn, book):
    run(
        conn,
        "UPDATE ledger_postings SET amount = amount + 1 WHERE transaction_id = :t AND line = 1",
        t=book.transactions[2],
    )


def account(conn, book):
    run(
        conn,
        "UPDATE ledger_postings SET account_id = :a WHERE transaction_id = :t AND line = 1",
        a=book.accounts[CASH],
        t=book.transactions[3],
    )


def effective_date(conn, book):
    run(
        conn,
        "UPDATE ledger_transactions SET effective_date = '2026-01-01' WHERE id = :t",
        t=book.transactions[4],
    )


def memo(conn, book):
    run(
        conn,
        "UPDATE ledger_transactions SET memo = 'cash_banked:other' WHERE id = :t",
        t=book.transactions[4],
    )


def actor(conn, book):
    run(conn, "UPDATE ledger_transactions SET actor_id = NULL WHERE id = :t", t=book.transactions[5])


def kind(conn, book):
    run(conn, "UPDATE ledger_transactions SET kind = 'refund' WHERE id = :t", t=book.transactions[3])


def idempotency_key(conn, book):
    run(
        conn,
        "UPDATE ledger_transactions SET idempotency_key = 't:other' WHERE id = :t",
        t=book.transactions[6],
    )


def source(conn, book):
    run(
        conn,
        """UPDATE ledger_transactions SET source = '{"grant": "5"}' WHERE id = :t""",
        t=book.transactions[5],
    )


def reverses(conn, book):
    run(conn, "UPDATE ledger_transactions SET reverses_id = NULL WHERE id = :t", t=book.transactions[8])


def canonical_bytes(conn, book):
    row = conn.execute(
        text("SELECT canonical FROM ledger_transactions WHERE id = :t"), {"t": book.transactions[3]}
    )
    forged = bytes(row.scalar_one()).replace(b"2442", b"2443")
    run(conn, "UPDATE ledger_transactions SET canonical = :c WHERE id = :t", c=forged, t=book.transactions[3])


def canonical_and_hash(conn, book):
    # A careful forger rewrites the bytes and the hash together; the next link and the columns give it away.
    t = book.transactions[3]
    row = conn.execute(text("SELECT canonical, prev_hash FROM ledger_transactions WHERE id = :t"), {"t": t})
    canonical, prev_hash = (bytes(value) for value in row.one())
    forged = canonical.replace(b"2442", b"2443")
    run(
        conn,
        "UPDATE ledger_transactions SET canonical = :c, hash = :h WHERE id = :t",
        c=forged,
        h=hashlib.sha256(prev_hash + forged).digest(),
        t=t,
    )


def hash_(conn, book):
    forged = hashlib.sha256(b"forged").digest()
    run(conn, "UPDATE ledger_transactions SET hash = :h WHERE id = :t", h=forged, t=book.transactions[4])


def prev_hash(conn, book):
    run(
        conn,
        "UPDATE ledger_transactions SET prev_hash = :h WHERE id = :t",
        h=bytes(32),
        t=book.transactions[6],
    )


def delete_posting(conn, book):
    run(conn, "DELETE FROM ledger_postings WHERE transaction_id = :t AND line = 2", t=book.transactions[6])


def delete_transaction(conn, book):
    t = book.transactions[5]
    run(conn, "DELETE FROM ledger_postings WHERE transaction_id = :t", t=t)
    run(conn, "DELETE FROM ledger_seals WHERE transaction_id = :t", t=t)
    run(conn, "DELETE FROM ledger_transactions WHERE id = :t", t=t)


def delete_last_transaction(conn, book):
    t = book.transactions[8]
    run(conn, "DELETE FROM ledger_postings WHERE transaction_id = :t", t=t)
    run(conn, "DELETE FROM ledger_seals WHERE transaction_id = :t", t=t)
    run(conn, "DELETE FROM ledger_transactions WHERE id = :t", t=t)


def delete_seal(conn, book):
    run(conn, "DELETE FROM ledger_seals WHERE transaction_id = :t", t=book.transactions[3])


def swap_sequences(conn, book):
    first, second = book.transactions[3], book.transactions[6]
    run(conn, "UPDATE ledger_transactions SET sequence = 1000 WHERE id = :t", t=first)
    run(conn, "UPDATE ledger_transactions SET sequence = 3 WHERE id = :t", t=second)
    run(conn, "UPDATE ledger_transactions SET sequence = 6 WHERE id = :t", t=first)


def forged_at_the_end(conn, book):
    postings = [(BANK, 50_000, "GBP"), (DEFERRED, -50_000, "GBP")]
    seal(conn, insert_transaction(conn, book, postings, key="forged:1"))


def head_rewound(conn, book):
    run(
        conn,
        "UPDATE ledger_chain_heads SET sequence = 7, hash = :h WHERE book_id = :b",
        h=_hash_of(conn, book.transactions[7]),
        b=book.book_id,
    )


def head_advanced(conn, book):
    run(
        conn,
        "UPDATE ledger_chain_heads SET sequence = 9, hash = :h WHERE book_id = :b",
        h=hashlib.sha256(b"forged").digest(),
        b=book.book_id,
    )


def head_hash(conn, book):
    run(
        conn,
        "UPDATE ledger_chain_heads SET hash = :h WHERE book_id = :b",
        h=hashlib.sha256(b"forged").digest(),
        b=book.book_id,
    )


def balance(conn, book):
    run(conn, "UPDATE ledger_accounts SET balance = balance + 1 WHERE id = :a", a=book.accounts[RECEIVABLES])


def guarded_balance(conn, book):
    run(conn, "UPDATE ledger_accounts SET balance = balance + 10000 WHERE id = :a", a=book.accounts[BANK])


@dataclass(frozen=True, slots=True)
class Tamper:
    """One rewrite of history and what verification must name: a sequence number, or an account."""

    name: str
    edit: Callable[[Connection, LedgerBook], None]
    first_bad: int | str


TAMPERS = [
    Tamper("amount", amount, 2),
    Tamper("account", account, 3),
    Tamper("date", effective_date, 4),
    Tamper("memo", memo, 4),
    Tamper("actor", actor, 5),
    Tamper("kind", kind, 3),
    Tamper("idempotency-key", idempotency_key, 6),
    Tamper("source", source, 5),
    Tamper("reverses", reverses, 8),
    Tamper("canonical-bytes", canonical_bytes, 3),
    Tamper("canonical-bytes-and-hash", canonical_and_hash, 3),
    Tamper("hash", hash_, 4),
    Tamper("prev-hash", prev_hash, 6),
    Tamper("delete-posting", delete_posting, 6),
    Tamper("delete-transaction", delete_transaction, 5),
    Tamper("delete-last-transaction", delete_last_transaction, 8),
    Tamper("delete-seal", delete_seal, 3),
    Tamper("swap-sequences", swap_sequences, 3),
    Tamper("forged-at-the-end", forged_at_the_end, 9),
    Tamper("head-rewound", head_rewound, 8),
    Tamper("head-advanced", head_advanced, 9),
    Tamper("head-hash", head_hash, 8),
    Tamper("balance", balance, RECEIVABLES),
    Tamper("guarded-balance", guarded_balance, BANK),
]


def _check(conn: Connection, slug: str):
    with Session(bind=conn) as session:
        return check_book(session, book_by_slug(session, slug))


@pytest.mark.parametrize("tamper", TAMPERS, ids=[tamper.name for tamper in TAMPERS])
def test_every_tamper_is_detected(tamper, shared_engine, shared_book):
    # Verification reads the tampered rows inside the tamperer's own transaction, which is then rolled
    # back, so every case starts from the same intact copy (test_ledger_verify_cli.py commits its tampers).
    with shared_engine.connect() as conn, conn.begin() as transaction:
        assert _check(conn, shared_book.slug).ok
        guards_off(conn)
        tamper.edit(conn, shared_book)
        result = _check(conn, shared_book.slug)
        transaction.rollback()
    assert not result.ok
    first = result.first_problem
    if isinstance(tamper.first_bad, int):
        assert first.sequence == tamper.first_bad, result.problems
    else:
        assert first.sequence is None, result.problems
        assert len(result.problems) == 1, result.problems
        assert first.check == "balance"
        assert first.message.startswith(f"{tamper.first_bad}: maintained balance")
