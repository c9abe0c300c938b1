"""`ledger verify` on one large book against the bare hash chain over the same bytes, on PostgreSQL.

Creates a fresh database (dropped at the end) holding one book of N real, sealed postings (see
tests/factories/big_book.py), then in interleaved rounds times (a) check_book, everything `ledger verify`
does for a
book, and (b) the baseline: the SHA-256 chain over the same sealed bytes streamed from PostgreSQL in sequence
order. Prints min and median of each, the ratio of the medians (target <= 3) and the peak memory of a check.

    .venv/bin/python scripts/bench_verify.py [--postings N] [--rounds N] [--admin-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pledgebank.books.models import Book
from pledgebank.books.verify import check_book
from pledgebank.clock import Clock
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.migrate import upgrade
from tests.factories.big_book import fill, open_book

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NAME = "pb_bench_verify"


def bare_chain(engine, book_id: int) -> bytes:
    """The hash chain over the book's sealed bytes, streamed in sequence order: the floor for verify."""
    digest = bytes(32)
    with engine.connect() as connection:
        rows = connection.execution_options(stream_results=True, yield_per=5000).execute(
            text("SELECT canonical FROM ledger_transactions WHERE book_id = :book ORDER BY sequence"),
            {"book": book_id},
        )
        for (canonical,) in rows:
            digest = hashlib.sha256(digest + bytes(canonical)).digest()
    return digest


def verify(sessions, book_id: int) -> None:
    """Check the book as `ledger verify` does; it must be sound."""
    with sessions() as session:
        result = check_book(session, session.get(Book, book_id))
        if not result.ok:
            raise SystemExit(f"the book does not verify: {result.first_problem.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    url = make_url(args.admin_url).set(database=NAME).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {NAME}"))
    try:
        upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        now = Clock().now()
        with unit_of_work(sessions) as session:
            book_id = open_book(session, name="Large Ward", now=now).id
        fill(sessions, book_id, postings=args.postings, until=now.date(), days=400, now=now)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
        verify(sessions, book_id)  # warm up
        times: dict[str, list[float]] = {"verify": [], "bare": []}
        for _round in range(args.rounds):
            for name, run in (
                ("verify", lambda: verify(sessions, book_id)),
                ("bare", lambda: bare_chain(engine, book_id)),
            ):
                started = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - started)
        tracemalloc.start()
        verify(sessions, book_id)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        engine.dispose()
        print(f"ledger verify of one book of {args.postings} postings, {args.rounds} interleaved rounds:")
        for name, label in (("verify", "check_book"), ("bare", "bare SHA-256 chain")):
            series = times[name]
            print(f"  {label:<20} min {min(series):7.2f} s   median {statistics.median(series):7.2f} s")
        ratio = statistics.median(times["verify"]) / statistics.median(times["bare"])
        print(f"  ratio (median verify / median bare): {ratio:.2f}  (target <= 3)")
        print(f"  peak Python memory of one check: {peak / 2**20:.1f} MiB")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
