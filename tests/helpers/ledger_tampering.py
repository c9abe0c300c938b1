"""Tampering with the ledger as someone holding the database's keys would: guards off, raw SQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

GUARDED_TABLES = ("ledger_transactions", "ledger_postings", "ledger_seals", "ledger_accounts")
SQLITE_TRIGGERS = (
    *(
        f"{table}_{guard}"
        for table in GUARDED_TABLES[:3]
        for guard in ("no_update", "no_delete", "no_replace")
    ),
    "ledger_postings_unsealed_only",
    "ledger_postings_balance",
    "ledger_seals_check",
    "ledger_seals_advance_head",
    "ledger_accounts_fixed",
)


def guards_off(conn: Connection) -> None:
    """Remove every guard the migration put on the ledger's tables (foreign keys stay)."""
    if conn.dialect.name == "postgresql":
        for table in GUARDED_TABLES:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        for trigger in SQLITE_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER {trigger}"))


def run(conn: Connection, sql: str, **params) -> None:
    """Execute one raw SQL statement with named parameters."""
    conn.execute(text(sql), params)


@contextmanager
def tampering(engine: Engine, *, keys_off: bool = False) -> Iterator[Connection]:
    """A committed database transaction with the guards removed and, if asked, foreign keys not enforced."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        if keys_off and sqlite:
            # SQLite takes this pragma only outside a transaction; the connection gets it back below.
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                guards_off(conn)
                if keys_off and not sqlite:
                    run(conn, "SET LOCAL session_replication_role = replica")
                yield conn
        finally:
            if keys_off and sqlite:
                driver.execute("PRAGMA foreign_keys = ON")
