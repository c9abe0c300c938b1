"""CSV export of a book of 1,000,000 postings on PostgreSQL, measured against PostgreSQL's own COPY.

Creates a fresh database (dropped at the end), migrates it, opens a neighbourhood with four funds through the
real services, then bulk-loads sealed transactions: the entries come from the ledger's own rules and are
sealed and chained in Python, then written with COPY in batches while every database guard stays on (the
posting triggers keep the balances, the seal trigger checks each transaction's sums, chain link and hash).
`ledger verify` then checks the whole book.

It prints, in one run: the time of `pledgebank export --format csv` (the service, in a child process writing
a file), the time of `COPY (SELECT ... the same rows ...) TO STDOUT WITH CSV` writing a file, their ratio,
and the child's peak resident memory (Linux VmHWM, else ru_maxrss), beside its peak before the export began.

    .venv/bin/python scripts/bench_export.py [--postings N] [--admin-url URL] [--no-verify]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pledgebank.books.services import book_by_slug
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.formats import open_export
from pledgebank.exports.reader import Filters
from pledgebank.ledger import canonical, rules
from pledgebank.ledger.money import Money

# The measured child process runs this file too: what only the loading needs is imported where it is used,
# so the child's memory is what an export takes (accounts.services alone sets up Argon2, some 60 MB).

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
START = date(2023, 4, 1)
FUNDS = ("general", "playground-fund", "tree-planting", "winter-fuel")
BATCH = 500
COPY_QUERY = """
COPY (
  SELECT t.sequence, t.effective_date, t.kind, t.memo, p.line, a.code, a.name, f.slug,
         (p.amount::numeric / 100)::numeric(20, 2), p.currency, t.source::text, encode(t.hash, 'hex')
  FROM ledger_transactions t
  JOIN ledger_postings p ON p.transaction_id = t.id
  JOIN ledger_accounts a ON a.id = p.account_id
  LEFT JOIN funds f ON f.id = a.fund_id
  WHERE t.book_id = {book}
  ORDER BY t.sequence, p.line
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def cycle(n: int, on: date) -> list:
    """Nine entries (19 postings) that keep bank and cash above zero: card payments, cash, payouts, grants."""
    fund = FUNDS[n % len(FUNDS)]
    key = f"bench:{n}"
    entries = [
        rules.card_payment_received(
            gross=gbp(1_000 + n % 900 + k),
            fee=gbp(35 + k),
            fund=fund,
            income_source="pledges",
            key=f"{key}:card:{k}",
            on=on,
            source={"pledge": n, "payment_intent": f"pi_{n}_{k}", "balance_transaction": f"txn_{n}_{k}"},
        )
        for k in range(3)
    ]
    entries += [
        rules.cash_received(
            amount=gbp(2_000),
            fund=fund,
            income_source="donations",
            key=f"{key}:cash",
            on=on,
            source={"gift": n},
        ),
        rules.cash_banked(fund=fund, amount=gbp(1_500), key=f"{key}:banked", on=on, source={"slip": n}),
        rules.payout(shares={fund: gbp(2_500)}, key=f"{key}:payout", on=on, source={"payout": f"po_{n}"}),
        rules.grant_awarded(amount=gbp(3_000), fund=fund, key=f"{key}:award", on=on, source={"grant": n}),
        rules.grant_paid(fund=fund, amount=gbp(3_000), key=f"{key}:paid", on=on, source={"grant": n}),
        rules.refund(
            amount=gbp(100),
            fund=fund,
            income_source="pledges",
            key=f"{key}:refund",
            on=on,
            source={"refund": n},
        ),
    ]
    return entries


def open_the_book(url: str) -> str:
    """A treasurer and a neighbourhood with four funds, through the services; returns the book's slug."""
    from pledgebank.accounts.services import create_user
    from pledgebank.neighbourhoods import funds, services

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with unit_of_work(sessions) as session:
        user = create_user(
            session,
            email="bench@example.org",
            display_name="Bench Treasurer",
            password=secrets.token_urlsafe(24),
            now=NOW,
            verified=True,
        )
        place = services.create_neighbourhood(
            session,
            actor_id=user.id,
            name="Bench Ward",
            postcode_district="SE15",
            description="",
            currency="GBP",
            now=NOW,
        )
        for name in ("Playground fund", "Tree planting", "Winter fuel"):
            funds.add_fund(session, actor_id=user.id, neighbourhood=place, name=name, description="", now=NOW)
        slug = place.slug
    engine.dispose()
    return slug


def _load_batch(conn: psycopg.Connection, book: int, accounts: dict[str, int], batch: list, head) -> tuple:
    """Seal and chain a batch of entries after the head, COPY it in and seal it; returns the new head."""
    sequence, previous = head
    last = conn.execute(
        "SELECT setval(pg_get_serial_sequence('ledger_transactions', 'id'), "
        "nextval(pg_get_serial_sequence('ledger_transactions', 'id')) + %s - 1)",
        (len(batch),),
    ).fetchone()[0]
    first_id = last - len(batch) + 1
    transactions, postings = [], []
    for offset, entry in enumerate(batch):
        sequence += 1
        data = canonical.canonical_bytes(book_id=book, sequence=sequence, entry=entry)
        digest = canonical.chain_hash(previous, data)
        tx_id = first_id + offset
        transactions.append(
            (
                tx_id, book, sequence, entry.effective_date, entry.kind, entry.memo,
                json.dumps(entry.source_dict()), None, entry.idempotency_key, None, canonical.FORMAT_VERSION,
                data, previous, digest, NOW,
            )
        )  # fmt: skip
        for line, posting in enumerate(entry.postings, 1):
            amount = posting.amount
            postings.append((tx_id, book, line, accounts[posting.account], amount.amount, amount.currency))
        previous = digest
    with conn.cursor() as cursor:
        columns = (
            "id, book_id, sequence, effective_date, kind, memo, source, actor_id, idempotency_key, "
            "reverses_id, format_version, canonical, prev_hash, hash, recorded_at"
        )
        with cursor.copy(f"COPY ledger_transactions ({columns}) FROM STDIN") as copy:
            for row in transactions:
                copy.write_row(row)
        with cursor.copy(
            "COPY ledger_postings (transaction_id, book_id, line, account_id, amount, currency) FROM STDIN"
        ) as copy:
            for row in postings:
                copy.write_row(row)
        # Row by row in sequence order: each seal is checked against the head the one before advanced.
        cursor.execute(
            "INSERT INTO ledger_seals (transaction_id) SELECT id FROM ledger_transactions "
            "WHERE id BETWEEN %s AND %s ORDER BY sequence",
            (first_id, last),
        )
    return (sequence, previous), len(postings)


def generate(url: str, slug: str, target: int) -> tuple[int, int, float]:
    """Load transactions until the book holds `target` postings; returns (transactions, postings, seconds)."""
    started = time.monotonic()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        book = book_by_slug(session, slug)
        book_id = book.id
        accounts = dict(
            session.execute(
                text("SELECT code, id FROM ledger_accounts WHERE book_id = :b"), {"b": book_id}
            ).all()
        )
    engine.dispose()
    head = (0, canonical.GENESIS_HASH)
    posted = n = 0
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn:
        pending: list = []
        while posted < target:
            on = START + timedelta(days=(n * 1095) // max(target // 19, 1))
            pending.extend(cycle(n, on))
            n += 1
            if len(pending) >= BATCH or posted + 19 * len(pending) // 9 >= target:
                head, count = _load_batch(conn, book_id, accounts, pending, head)
                conn.commit()
                posted += count
                pending = []
                print(f"\r  loaded {posted:>9,} postings, {head[0]:>8,} transactions", end="", flush=True)
    print()
    return head[0], posted, time.monotonic() - started


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB.

    Linux's VmHWM belongs to the process image; ru_maxrss carries the parent's peak over fork and exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_export(url: str, slug: str, output: str) -> None:
    """In its own process: export the book as CSV to a file; print seconds and memory as JSON."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    before = peak_rss_kib()
    started = time.monotonic()
    with unit_of_work(sessions) as session, open(output, "w", encoding="utf-8", newline="") as file:
        export = open_export(session, "csv", ExportRequest(book_by_slug(session, slug), Filters(), NOW))
        for chunk in export.chunks:
            file.write(chunk)
    seconds = time.monotonic() - started
    peak = peak_rss_kib()
    print(json.dumps({"seconds": seconds, "rss_before_kib": before, "rss_peak_kib": peak}))
    engine.dispose()


def copy_baseline(url: str, book_id: int, output: str) -> float:
    """PostgreSQL's COPY of the same rows to a file; returns seconds."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as conn, conn.cursor() as cursor, open(output, "wb") as file:
        started = time.monotonic()
        with cursor.copy(COPY_QUERY.format(book=int(book_id))) as copy:
            for block in copy:
                file.write(block)
        return time.monotonic() - started


def _lines(path: str) -> int:
    with open(path, "rb") as file:
        return sum(1 for _ in file)


def run(url: str, target: int, verify: bool) -> bool:
    """Migrate, load, verify, then measure the export and COPY; True when the book verifies."""
    from pledgebank.books.verify import check_book
    from pledgebank.migrate import upgrade

    upgrade(url)
    slug = open_the_book(url)
    print(
        f"loading a book of {target:,} postings (sealed, chained, guards on; batches of {BATCH} transactions)"
    )
    transactions, postings, seconds = generate(url, slug, target)
    print(f"  {transactions:,} transactions, {postings:,} postings in {seconds:.1f} s")
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        book = book_by_slug(session, slug)
        book_id = book.id
        server = session.scalar(text("SHOW server_version"))
        sound = True
        if verify:
            started = time.monotonic()
            result = check_book(session, book)
            sound = result.ok and result.report.postings == postings
            verdict = "ok" if result.ok else f"FAILED: {result.first_problem.message}"
            took = time.monotonic() - started
            print(f"  ledger verify: {verdict} ({result.report.postings:,} postings, {took:.1f} s)")
    engine.dispose()
    with tempfile.TemporaryDirectory(prefix="pledgebank-bench-") as folder:
        ours, theirs = os.path.join(folder, "export.csv"), os.path.join(folder, "copy.csv")
        copy_baseline(url, book_id, os.devnull)  # warm the cache for both runs
        copy_seconds = copy_baseline(url, book_id, theirs)
        child = subprocess.run(  # noqa: S603 - this script, run again as the measured child
            [sys.executable, __file__, "--child-export", url, slug, ours],
            capture_output=True,
            text=True,
            check=True,
        )
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        rows = (_lines(ours), _lines(theirs))
        sizes = (os.path.getsize(ours), os.path.getsize(theirs))
    export_seconds = measured["seconds"]
    print(f"\nPostgreSQL {server}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'':34} {'seconds':>8} {'rows':>10} {'MB':>8}")
    print(
        f"{'pledgebank export --format csv':34} {export_seconds:>8.2f} {rows[0]:>10,} {sizes[0] / 1e6:>8.1f}"
    )
    print(
        f"{'COPY (SELECT ...) TO STDOUT CSV':34} {copy_seconds:>8.2f} {rows[1]:>10,} {sizes[1] / 1e6:>8.1f}"
    )
    print(f"ratio export / COPY: {export_seconds / copy_seconds:.2f}x (target: within 3x)")
    before, peak = measured["rss_before_kib"] / 1024, measured["rss_peak_kib"] / 1024
    print(f"export process peak memory (VmHWM): {peak:.1f} MB; {before:.1f} MB before the export began "
          f"(target: under 150 MB)")  # fmt: skip
    return sound and rows[0] == rows[1]


def main() -> None:
    """Parse arguments, run the benchmark in a database of its own, and drop it."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--admin-url", default=DEFAULT_ADMIN_URL, help="a server where databases may be created"
    )
    parser.add_argument(
        "--postings", type=int, default=1_000_000, help="postings in the book (default 1,000,000)"
    )
    parser.add_argument("--no-verify", dest="verify", action="store_false", help="skip `ledger verify`")
    parser.add_argument("--child-export", nargs=3, metavar=("URL", "SLUG", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        child_export(*args.child_export)
        return
    name = f"pledgebank_bench_export_{os.getpid()}"
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        sound = run(url, args.postings, args.verify)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    raise SystemExit(0 if sound else 1)


if __name__ == "__main__":
    main()
