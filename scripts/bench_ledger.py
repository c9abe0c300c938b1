"""Posting throughput of the ledger on PostgreSQL, measured against bare INSERT + COMMIT in the same run.

Creates a fresh database (dropped at the end), migrates it, opens four neighbourhoods' books through the real
services, then posts through books.services.post with one unit of work per post, as a request would:

  one book, one writer; four books, one writer each; four writers on one book (they queue on its chain head).

The baseline inserts the same number of rows into a table with no constraints, indexes or triggers, one commit
per row, through the same engine settings. Writers are separate processes (spawned), so Python's GIL does not
limit the parallel scenarios. Afterwards every book is verified.

    .venv/bin/python scripts/bench_ledger.py [--posts N] [--admin-url URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import secrets
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from pledgebank.accounts.services import create_user
from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.services import book_by_slug, post, post_many, post_through_orm
from pledgebank.books.verify import check_book
from pledgebank.clock import Clock
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.migrate import upgrade
from pledgebank.neighbourhoods.services import create_neighbourhood

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
WRITERS = 4
BATCH = 50
DAY = date(2026, 3, 2)
BARRIER_TIMEOUT_S = 120


@dataclass(frozen=True, slots=True)
class Result:
    """One measured scenario."""

    name: str
    writers: int
    rows: int
    seconds: float
    baseline: str | None

    @property
    def rate(self) -> float:
        """Rows (or posts) per second."""
        return self.rows / self.seconds


def entry_for(key: str, n: int):
    """A realistic mix: a bank transfer received (two postings) or a card payment with a fee (three)."""
    if n % 2:
        return rules.card_payment_received(
            gross=Money(1_000 + n % 500, "GBP"),
            fee=Money(20 + n % 7, "GBP"),
            fund="general",
            income_source="pledges",
            key=key,
            on=DAY,
            source={"pledge": n},
        )
    return rules.cash_received(
        amount=Money(500 + n % 300, "GBP"),
        fund="general",
        income_source="donations",
        key=key,
        on=DAY,
        source={"gift": n},
        into=chart.BANK,
    )


def _timed_writes(url: str, barrier, finished, write) -> None:
    """Open a one-connection engine, wait for every writer, run write(sessions, clock), say when it ended."""
    engine = make_engine(url, pool_size=1, max_overflow=0)
    sessions = make_session_factory(engine)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    barrier.wait()
    write(sessions, Clock())
    finished.put(time.monotonic())
    engine.dispose()


def _one_at_a_time(poster, url: str, book_id: int, prefix: str, count: int, barrier, finished) -> None:
    """Post count entries to one book through poster, one unit of work each, once every writer is ready."""

    def write(sessions, clock) -> None:
        for n in range(count):
            with unit_of_work(sessions) as session:
                book = session.get(Book, book_id)
                poster(session, book=book, entry=entry_for(f"{prefix}:{n}", n), now=clock.now())

    _timed_writes(url, barrier, finished, write)


def post_writer(url: str, book_id: int, prefix: str, count: int, barrier, finished) -> None:
    """Post count entries to one book, one unit of work each, once every writer is ready."""
    _one_at_a_time(post, url, book_id, prefix, count, barrier, finished)


def batch_writer(url: str, book_id: int, prefix: str, count: int, barrier, finished) -> None:
    """Post count entries to one book, BATCH entries a unit of work through post_many, as a bulk job does."""

    def write(sessions, clock) -> None:
        for start in range(0, count, BATCH):
            with unit_of_work(sessions) as session:
                entries = [entry_for(f"{prefix}:{n}", n) for n in range(start, min(count, start + BATCH))]
                post_many(session, book=session.get(Book, book_id), entries=entries, now=clock.now())

    _timed_writes(url, barrier, finished, write)


def orm_writer(url: str, book_id: int, prefix: str, count: int, barrier, finished) -> None:
    """Post count entries to one book through the ORM path (as PostgreSQL posted before one-call posts)."""
    _one_at_a_time(post_through_orm, url, book_id, prefix, count, barrier, finished)


def bare_writer(url: str, _book_id: int, prefix: str, count: int, barrier, finished) -> None:
    """Insert count rows into the unconstrained table, one commit per row, once every writer is ready."""
    engine = make_engine(url, pool_size=1, max_overflow=0)
    statement = text("INSERT INTO bench_bare (writer, n, note) VALUES (:writer, :n, :note)")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    barrier.wait()
    for n in range(count):
        with engine.begin() as connection:
            connection.execute(statement, {"writer": prefix, "n": n, "note": f"{prefix}:{n}"})
    finished.put(time.monotonic())
    engine.dispose()


def measure(target, url: str, jobs: list[tuple[int, str]], count: int) -> float:
    """Run one process per (book id, key prefix) job, released together; seconds from release to last done."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(jobs) + 1, timeout=BARRIER_TIMEOUT_S)
    finished = context.Queue()
    processes = [
        context.Process(target=target, args=(url, book_id, prefix, count, barrier, finished))
        for book_id, prefix in jobs
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.monotonic()
    ends: list[float] = []
    while len(ends) < len(processes):
        try:
            ends.append(finished.get(timeout=1))
        except queue.Empty:
            failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if failed:
                raise SystemExit(f"a writer process failed with exit code {failed[0]}") from None
    for process in processes:
        process.join()
    return max(ends) - started


def open_books(url: str) -> list[int]:
    """Create a treasurer and four neighbourhoods through the services; return their book ids."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    now = Clock().now()
    with unit_of_work(sessions) as session:
        user = create_user(
            session,
            email="bench-treasurer@example.org",
            display_name="Bench Treasurer",
            password=secrets.token_urlsafe(24),
            now=now,
            verified=True,
        )
        slugs = [
            create_neighbourhood(
                session,
                actor_id=user.id,
                name=f"Bench Ward {n}",
                postcode_district="SE15",
                description="",
                currency="GBP",
                now=now,
            ).slug
            for n in range(1, WRITERS + 1)
        ]
    with sessions() as session:
        ids = [book_by_slug(session, slug).id for slug in slugs]
    engine.dispose()
    return ids


def verify(url: str, book_ids: list[int], expected: dict[int, int]) -> bool:
    """Check every book and print the outcome; True when all are sound and hold the posts expected."""
    engine = make_engine(url)
    sound = True
    with make_session_factory(engine)() as session:
        for book_id in book_ids:
            book = session.get(Book, book_id)
            count = session.scalar(
                select(func.count())
                .select_from(LedgerTransaction)
                .where(LedgerTransaction.book_id == book_id)
            )
            result = check_book(session, book)
            good = result.ok and count == expected[book_id] == result.report.head_sequence
            sound = sound and good
            verdict = "ok" if result.ok else f"FAILED: {result.first_problem.message}"
            print(
                f"  check_book {book.slug}: {verdict}; {count} transactions "
                f"(expected {expected[book_id]}), {result.report.postings} postings, "
                f"head sequence {result.report.head_sequence}"
            )
    engine.dispose()
    return sound


HEADER = f"{'scenario':<36} {'writers':>7} {'rows':>7} {'seconds':>8} {'rows/s':>8} {'vs baseline':>12}"


def print_row(result: Result, baseline: Result | None) -> None:
    """Print one measured scenario, with its rate as a fraction of its baseline's."""
    ratio = f"{result.rate / baseline.rate:.2f}x" if baseline else "(baseline)"
    print(
        f"{result.name:<36} {result.writers:>7} {result.rows:>7} {result.seconds:>8.2f} "
        f"{result.rate:>8.0f} {ratio:>12}",
        flush=True,
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for reading the numbers in context."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def run(url: str, posts: int) -> bool:
    """Migrate, set up, measure and verify; return True when every book verifies."""
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_bare (writer text, n bigint, note text)"))
        server = connection.scalar(text("SHOW server_version"))
        sync = connection.scalar(text("SHOW synchronous_commit"))
    engine.dispose()
    books = open_books(url)
    one = books[0]
    print(f"PostgreSQL {server}, synchronous_commit={sync}, {os.cpu_count()} CPUs")
    print(f"load average beforehand {load_average()}")
    print(f"{posts} rows or posts per writer; writers are spawned processes, each with its own connection;")
    print("one commit per row or post\n")
    print(HEADER)
    print("-" * len(HEADER), flush=True)
    bare1, bare4 = "bare insert+commit, 1 writer", f"bare insert+commit, {WRITERS} writers"
    scenarios = [
        (bare1, bare_writer, [(0, "b1")], None),
        ("post: 1 book, 1 writer", post_writer, [(one, "s1")], bare1),
        (bare4, bare_writer, [(0, f"b4-{w}") for w in range(WRITERS)], None),
        (
            f"post: {WRITERS} books, 1 writer each",
            post_writer,
            [(b, f"s2-{w}") for w, b in enumerate(books)],
            bare4,
        ),
        (f"post: 1 book, {WRITERS} writers", post_writer, [(one, f"s3-{w}") for w in range(WRITERS)], bare4),
    ]
    measured: dict[str, Result] = {}
    for name, target, jobs, baseline in scenarios:
        seconds = measure(target, url, jobs, posts)
        measured[name] = Result(name, len(jobs), len(jobs) * posts, seconds, baseline)
        print_row(measured[name], measured[baseline] if baseline else None)
    print(f"\nload average afterwards {load_average()}")
    expected = {book_id: posts for book_id in books}
    expected[one] = posts + posts + WRITERS * posts
    return verify(url, books, expected)


def main() -> None:
    """Parse arguments, run the benchmark in a database of its own, and drop it."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--admin-url", default=DEFAULT_ADMIN_URL, help="a server where databases may be created"
    )
    parser.add_argument("--posts", type=int, default=2000, help="rows or posts per writer (default 2000)")
    args = parser.parse_args()
    if args.posts < 1:
        parser.error("--posts must be at least 1")
    name = f"pledgebank_bench_{os.getpid()}"
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        sound = run(url, args.posts)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    raise SystemExit(0 if sound else 1)


if __name__ == "__main__":
    main()
