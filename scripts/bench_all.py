"""Every standing benchmark of issue 14's Targets table in one run, on PostgreSQL.

Each measure runs in fresh databases that this script creates and drops, interleaved with its baseline in the
same run (several rounds; min and median of each), and prints one line: measure, ours, baseline, ratio,
target, and "met" or "NOT met". Measures the code cannot take yet are printed as "not built".

The defaults are small sizes that finish in minutes on a busy 2-core machine; --full runs the Targets
table's sizes (50 clients, 1M postings, 2,000 pledgers), which takes far longer.

    .venv/bin/python scripts/bench_all.py [--full | --smoke] [--only page,post,...] [--admin-url URL]

Measures (names for --only): page, scoped, post, writers, batch, verify, collection, activation, workers,
signup.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# Sizes by profile: concurrent clients and requests per client (page), postings (scoped, verify),
# posts per writer (post, writers), pledgers (collection, activation) and rounds.
SIZES = {
    "smoke": dict(
        clients=2, requests=3, small=60, large=600, posts=20, verify=300, pledgers=3, rounds=2, page_rounds=2
    ),
    "default": dict(
        clients=10,
        requests=10,
        small=1_113,
        large=50_000,
        posts=300,
        verify=50_000,
        pledgers=40,
        rounds=3,
        page_rounds=3,
    ),
    "full": dict(
        clients=50,
        requests=20,
        small=1_113,
        large=1_000_000,
        posts=2_000,
        verify=1_000_000,
        pledgers=2_000,
        rounds=5,
        page_rounds=5,
    ),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One measure's outcome, as printed."""

    measure: str
    ours: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: not built or not comparable

    def render(self) -> str:
        """The printed line."""
        verdict = {True: "met", False: "NOT met", None: "-"}[self.met]
        return (
            f"{self.measure:<44} | {self.ours:<38} | {self.baseline:<38} | {self.ratio:<7} | "
            f"{self.target:<24} | {verdict}"
        )


def summary(series: list[float], unit: str, scale: float = 1.0, digits: int = 1) -> str:
    """The series' min and median, scaled, with its unit."""
    return f"min {min(series) * scale:.{digits}f} med {statistics.median(series) * scale:.{digits}f} {unit}"


def quiet() -> None:
    """Only warnings from the app's and the server's loggers (one line a request or email otherwise)."""
    for name in ("pledgebank", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)


class Databases:
    """Fresh PostgreSQL databases for one run: each made on demand, every one dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def fresh(self) -> str:
        """The URL of a new, empty database."""
        name = f"pb_bench_all_{os.getpid()}_{len(self.names)}"
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        self.names.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Drop every database made."""
        with self.admin.connect() as connection:
            for name in self.names:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self.admin.dispose()


@contextmanager
def databases(admin_url: str) -> Iterator[Databases]:
    """Databases made for the run, dropped however it ends."""
    made = Databases(admin_url)
    try:
        yield made
    finally:
        made.drop_all()


def not_built(measure: str, target: str) -> Line:
    """The line of a measure the code cannot take yet."""
    return Line(measure, "not built", "-", "-", target, None)


def measures() -> dict[str, Callable[[Databases, dict], list[Line]]]:
    """The measures by name, imported only when run (each pulls in parts of the app)."""
    import bench_all_money
    import bench_all_queue
    import bench_all_signup
    import bench_all_web

    return {
        "page": bench_all_web.page_under_load,
        "scoped": bench_all_web.small_beside_large,
        "post": bench_all_money.single_post,
        "writers": bench_all_money.four_writers,
        "batch": bench_all_money.batched,
        "verify": bench_all_money.verify_vs_chain,
        "collection": bench_all_money.collection_end,
        "activation": bench_all_web.activation_request,
        "workers": bench_all_queue.collection_workers,
        "signup": bench_all_signup.api_signup,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument("--full", action="store_true", help="the Targets table's sizes (slow)")
    profile.add_argument("--smoke", action="store_true", help="the smallest sizes (a check that it runs)")
    parser.add_argument("--only", default="", help="comma-separated measures to run (default: all)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="a server where databases may be made")
    parser.add_argument("--pledgers", type=int, default=None, help="pledgers a pledge (overrides the sizes)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds a measure (overrides the sizes)")
    args = parser.parse_args()
    chosen = "full" if args.full else "smoke" if args.smoke else "default"
    sizes = dict(SIZES[chosen])
    for name in ("pledgers", "rounds"):
        if getattr(args, name) is not None:
            sizes[name] = getattr(args, name)
    table = measures()
    names = [name.strip() for name in args.only.split(",") if name.strip()] or list(table)
    unknown = [name for name in names if name not in table]
    if unknown:
        parser.error(f"unknown measure(s): {', '.join(unknown)}; known: {', '.join(table)}")
    print(f"sizes: {chosen} ({', '.join(f'{k}={v}' for k, v in sizes.items())})", flush=True)
    if chosen != "full":
        print("small sizes: the Targets table's sizes need --full", flush=True)
    lines: list[Line] = []
    with databases(args.admin_url) as made:
        for name in names:
            print(f"measuring {name} ...", flush=True)
            lines += table[name](made, sizes)
    print()
    header = Line("measure", "ours", "baseline", "ratio", "target", None).render()
    print(header.rsplit("|", 1)[0] + "| verdict")
    print("-" * len(header))
    for line in lines:
        print(line.render(), flush=True)


if __name__ == "__main__":
    main()
