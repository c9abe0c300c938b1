"""Raw-SQL access to the ledger suites' book: copies of it, snapshots, hand-made transactions and seals."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url

from pledgebank.ledger import chart, rules
from pledgebank.ledger.canonical import canonical_document, encode
from pledgebank.ledger.money import Money

DAY = date(2026, 3, 2)
PEOPLE = {role: f"{role}@example.org" for role in ("chair", "treasurer", "committee", "resident", "outsider")}
CHAIR = PEOPLE["chair"]
PG_ADMIN_URL = os.environ.get("PLEDGEBANK_TEST_DATABASE_URL", "")
_copies = itertools.count(1)
LEDGER_TABLES = (
    "books",
    "ledger_chain_heads",
    "ledger_accounts",
    "ledger_transactions",
    "ledger_postings",
    "ledger_seals",
)


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def standard_entries(actor_id: int) -> list:
    """Seven entries touching every book-level account and the general fund."""
    return [
        rules.cash_received(
            amount=gbp(12_000),
            fund="general",
            income_source="donations",
            key="t:cash:1",
            on=DAY - timedelta(days=30),
            source={"receipt": 1},
            actor_id=actor_id,
        ),
        rules.card_payment_received(
            gross=gbp(2_500),
            fee=gbp(58),
            fund="general",
            income_source="pledges",
            key="t:card:1",
            on=DAY - timedelta(days=25),
            source={"pledge": 7, "charge": "ch_1"},
        ),
        rules.payout(
            shares={"general": gbp(2_442)},
            key="t:payout:1",
            on=DAY - timedelta(days=20),
            source={"po": "po_1"},
        ),
        rules.cash_banked(
            fund="general",
            amount=gbp(10_000),
            key="t:banked:1",
            on=DAY - timedelta(days=15),
            source={"slip": 3},
            actor_id=actor_id,
        ),
        rules.grant_awarded(
            amount=gbp(7_500),
            fund="general",
            key="t:award:1",
            on=DAY - timedelta(days=10),
            source={"grant": 4},
            actor_id=actor_id,
        ),
        rules.grant_paid(
            fund="general",
            amount=gbp(7_500),
            key="t:paid:1",
            on=DAY - timedelta(days=5),
            source={"grant": 4},
            actor_id=actor_id,
        ),
        rules.receivable_raised(
            fund="general",
            amount=gbp(3_000),
            key="t:levy:1",
            on=DAY - timedelta(days=2),
            source={"charge": 9},
        ),
    ]


@dataclass
class LedgerBook:
    """What the tests need to know about the book they attack."""

    slug: str
    book_id: int
    chair_id: int
    accounts: dict[str, int] = field(default_factory=dict)
    transactions: dict[int, int] = field(default_factory=dict)
    head_hash: bytes = b""

    @property
    def head(self) -> int:
        """The last sealed sequence number."""
        return max(self.transactions)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the ledger's tables, in a stable order, to compare before and after an attack."""
    with engine.connect() as conn:
        return {
            table: sorted(
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in conn.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - fixed table names
            )
            for table in LEDGER_TABLES
        }


def insert_transaction(
    conn: Connection,
    book: LedgerBook,
    postings: list[tuple[str, int, str]],
    *,
    sequence: int | None = None,
    prev_hash: bytes | None = None,
    key: str = "raw:1",
    reverses: tuple[int, str] | None = None,
    on: date = DAY,
) -> int:
    """Insert a transaction and its postings with raw SQL, hashed as the service would; return its id.

    `postings` are (account code, amount, currency); `reverses` is (transaction id, its key). Nothing is
    sealed: the caller inserts the seal (or not).
    """
    sequence = book.head + 1 if sequence is None else sequence
    prev_hash = book.head_hash if prev_hash is None else prev_hash
    canonical = encode(
        canonical_document(
            book_id=book.book_id,
            sequence=sequence,
            effective_date=on,
            kind="cash_received",
            memo="cash_received",
            source={},
            actor_id=None,
            idempotency_key=key,
            reverses_key=reverses[1] if reverses else None,
            postings=postings,
        )
    )
    transaction_id = conn.execute(
        text(
            "INSERT INTO ledger_transactions (book_id, sequence, effective_date, kind, memo, source, "
            "actor_id, idempotency_key, reverses_id, format_version, canonical, prev_hash, hash, "
            "recorded_at) VALUES (:book, :seq, :on, 'cash_received', 'cash_received', '{}', NULL, :key, "
            ":reverses, 1, :canonical, :prev, :hash, '2026-03-02 10:00:00.000000') RETURNING id"
        ),
        {
            "book": book.book_id,
            "seq": sequence,
            "on": on.isoformat(),
            "key": key,
            "reverses": reverses[0] if reverses else None,
            "canonical": canonical,
            "prev": prev_hash,
            "hash": hashlib.sha256(prev_hash + canonical).digest(),
        },
    ).scalar_one()
    for line, (code, amount, currency) in enumerate(postings, start=1):
        insert_posting(conn, book, transaction_id, line, book.accounts[code], amount, currency)
    return transaction_id


def insert_posting(
    conn: Connection,
    book: LedgerBook,
    transaction_id: int,
    line: int,
    account_id: int,
    amount: int,
    currency: str,
) -> None:
    """Insert one posting row with raw SQL."""
    conn.execute(
        text(
            "INSERT INTO ledger_postings (transaction_id, book_id, line, account_id, amount, currency) "
            "VALUES (:t, :b, :line, :a, :amount, :currency)"
        ),
        {
            "t": transaction_id,
            "b": book.book_id,
            "line": line,
            "a": account_id,
            "amount": amount,
            "currency": currency,
        },
    )


def seal(conn: Connection, transaction_id: int) -> None:
    """Insert the seal row, which runs the database's checks."""
    conn.execute(text("INSERT INTO ledger_seals (transaction_id) VALUES (:t)"), {"t": transaction_id})


BANK, CASH, CLEARING = (
    chart.held_in(place, "general") for place in (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
)
RECEIVABLES, DEFERRED = (
    chart.held_in(place, "general") for place in (chart.RECEIVABLES, chart.DEFERRED_INCOME)
)
DONATIONS = chart.income_account("general", "donations")


def pg_url(name: str) -> str:
    """The URL of a database on the test PostgreSQL server."""
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def admin(statement: str) -> None:
    """Run one statement (CREATE or DROP DATABASE) on the test PostgreSQL server."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@contextmanager
def database_copy(template: str, folder: Path) -> Iterator[str]:
    """A copy of the template database (a PostgreSQL name or an SQLite path), dropped afterwards."""
    if PG_ADMIN_URL:
        name = f"pbt_ledger_{os.getpid()}_{next(_copies)}"
        admin(f"CREATE DATABASE {name} TEMPLATE {template}")
        try:
            yield pg_url(name)
        finally:
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        path = folder / "pledgebank.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"


def load_book(engine: Engine) -> LedgerBook:
    """Read the ids of the book, its accounts and transactions, and its chain head's hash."""
    with engine.connect() as conn:
        chair_id = conn.execute(text("SELECT id FROM users WHERE email = :e"), {"e": CHAIR}).scalar_one()
        book_id, slug, head_hash = conn.execute(
            text("SELECT b.id, b.slug, h.hash FROM books b JOIN ledger_chain_heads h ON h.book_id = b.id")
        ).one()
        found = LedgerBook(slug=slug, book_id=book_id, chair_id=chair_id, head_hash=bytes(head_hash))
        found.accounts = dict(
            conn.execute(
                text("SELECT code, id FROM ledger_accounts WHERE book_id = :b"), {"b": book_id}
            ).all()
        )
        found.transactions = dict(
            conn.execute(
                text("SELECT sequence, id FROM ledger_transactions WHERE book_id = :b"), {"b": book_id}
            ).all()
        )
    return found
