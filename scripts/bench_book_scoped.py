"""Does a neighbourhood's public page cost more when another neighbourhood's book is large? On PostgreSQL.

Builds two fresh databases (dropped at the end): in one a small book alone, in the other the same small book
beside a large one. Both are filled the same way (real sealed transactions; see
tests/factories/big_book.py), analysed,
then the small neighbourhood's public page (/n/<slug>, with its money chart) is fetched through the app from
each database in interleaved rounds. Prints min and median of each and the ratio of the medians (target
<= 1.2).

    .venv/bin/python scripts/bench_book_scoped.py [--small N] [--large N] [--rounds N] [--admin-url URL]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pledgebank import create_app
from pledgebank.clock import Clock
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.migrate import upgrade
from tests.factories.big_book import fill, open_book

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DAYS = 400


def build(url: str, *, small: int, large: int) -> str:
    """Migrate and fill one database: the small book, and a large one beside it if `large`; its slug."""
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    clock = Clock()
    now = clock.now()
    today = now.date()
    with unit_of_work(sessions) as session:
        book = open_book(session, name="Small Ward", now=now)
        slug = session.scalar(
            text("SELECT slug FROM neighbourhoods WHERE id = :id"), {"id": book.neighbourhood_id}
        )
    fill(sessions, book.id, postings=small, until=today, days=DAYS, now=now)
    if large:
        with unit_of_work(sessions) as session:
            big = open_book(session, name="Large Ward", now=now)
        fill(sessions, big.id, postings=large, until=today, days=DAYS, now=now)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return slug


def app_for(url: str, outbox: Path):
    """The app on one database."""
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "MAIL_OUTBOX": str(outbox),
            "BASE_URL": "http://localhost",
        }
    )


def fetch_ms(client, path: str) -> float:
    """Milliseconds to fetch a page (which must be a 200)."""
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_113, help="postings in the small book")
    parser.add_argument("--large", type=int, default=200_000, help="postings in the large book")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    names = {"alone": "pb_bench_scoped_alone", "beside": "pb_bench_scoped_beside"}
    urls = {
        key: make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
        for key, name in names.items()
    }
    with admin.connect() as connection:
        for name in names.values():
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        print(f"building: small book {args.small} postings; large book {args.large} postings", flush=True)
        slug = build(urls["alone"], small=args.small, large=0)
        build(urls["beside"], small=args.small, large=args.large)
        with tempfile.TemporaryDirectory() as folder:
            apps = {key: app_for(url, Path(folder) / key) for key, url in urls.items()}
            logging.getLogger("pledgebank.request").setLevel(logging.WARNING)  # one line a request otherwise
            clients = {key: app.test_client() for key, app in apps.items()}
            path = f"/n/{slug}"
            for client in clients.values():  # warm up: templates compiled, connections open
                fetch_ms(client, path)
            times: dict[str, list[float]] = {key: [] for key in clients}
            for _round in range(args.rounds):
                for key, client in clients.items():
                    times[key].append(fetch_ms(client, path))
            for app in apps.values():
                app.extensions["pledgebank.engine"].dispose()
        print(f"public page of the small book ({args.small} postings), {args.rounds} interleaved rounds:")
        for key, label in (("alone", "beside nothing"), ("beside", f"beside {args.large} postings")):
            series = times[key]
            print(f"  {label:<28} min {min(series):8.1f} ms   median {statistics.median(series):8.1f} ms")
        ratio = statistics.median(times["beside"]) / statistics.median(times["alone"])
        print(f"  ratio (median beside / median alone): {ratio:.2f}  (target <= 1.2)")
    finally:
        with admin.connect() as connection:
            for name in names.values():
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
