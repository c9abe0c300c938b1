"""bench_all's money measures: post() vs bare INSERT, four writers vs one, verify vs the bare chain, and
the collection end of a pledge (our part, the gateway's own time subtracted)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import tracemalloc
import urllib.error
import urllib.request
from datetime import timedelta

from bench_all import Line, quiet, summary
from bench_ledger import (
    BATCH,
    WRITERS,
    bare_writer,
    batch_writer,
    measure,
    open_books,
    orm_writer,
    post_writer,
)
from bench_verify import bare_chain, verify
from sqlalchemy import text

from pledgebank.clock import Clock
from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.migrate import upgrade
from tests.factories.big_book import fill, open_book

_ledgers: dict[int, tuple[str, list[int], dict[str, list[float]]]] = {}


def _ledger_rates(made, sizes: dict) -> dict[str, list[float]]:
    """Rows or posts a second of bare 1 writer, post 1 writer, post 1 book 4 writers; interleaved rounds.

    Taken once a run and shared by the two measures that read them."""
    key = id(made)
    if key in _ledgers:
        return _ledgers[key][2]
    url = made.fresh()
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_bare (writer text, n bigint, note text)"))
    engine.dispose()
    books = open_books(url)
    posts = sizes["posts"]
    rates: dict[str, list[float]] = {"bare": [], "post1": [], "post4": [], "batch": [], "orm": []}
    for r in range(sizes["rounds"]):
        rates["bare"].append(posts / measure(bare_writer, url, [(0, f"b{r}")], posts))
        rates["post1"].append(posts / measure(post_writer, url, [(books[0], f"p1-{r}")], posts))
        jobs = [(books[0], f"p4-{r}-{w}") for w in range(WRITERS)]
        rates["post4"].append(WRITERS * posts / measure(post_writer, url, jobs, posts))
        rates["batch"].append(posts / measure(batch_writer, url, [(books[1], f"m-{r}")], posts))
        rates["orm"].append(posts / measure(orm_writer, url, [(books[2], f"o-{r}")], posts))
    _ledgers[key] = (url, books, rates)
    return rates


def single_post(made, sizes: dict) -> list[Line]:
    """One post() a unit of work, one writer, against bare INSERT + COMMIT."""
    rates = _ledger_rates(made, sizes)
    ratio = statistics.median(rates["post1"]) / statistics.median(rates["bare"])
    return [
        Line(
            f"single post() vs bare INSERT+COMMIT ({sizes['posts']})",
            summary(rates["post1"], "/s", digits=0),
            summary(rates["bare"], "/s", digits=0),
            f"{ratio:.3f}",
            ">= 0.5x",
            ratio >= 0.5,
        )
    ]


def batched(made, sizes: dict) -> list[Line]:
    """post_many, BATCH entries a unit of work, one writer, against bare INSERT + COMMIT; and, for reference,
    post() through the ORM path against the same baseline."""
    rates = _ledger_rates(made, sizes)
    bare = statistics.median(rates["bare"])
    ratio = statistics.median(rates["batch"]) / bare
    orm = statistics.median(rates["orm"]) / bare
    return [
        Line(
            f"batched posting ({BATCH} a commit) vs bare INSERT+COMMIT",
            summary(rates["batch"], "/s", digits=0),
            summary(rates["bare"], "/s", digits=0),
            f"{ratio:.3f}",
            ">= 1.5x",
            ratio >= 1.5,
        ),
        Line(
            "post() through the ORM (SQLite's path) vs bare",
            summary(rates["orm"], "/s", digits=0),
            summary(rates["bare"], "/s", digits=0),
            f"{orm:.3f}",
            "(reference)",
            None,
        ),
    ]


def four_writers(made, sizes: dict) -> list[Line]:
    """One book, four writer processes, against one writer on the same book (posts a second)."""
    rates = _ledger_rates(made, sizes)
    ratio = statistics.median(rates["post4"]) / statistics.median(rates["post1"])
    return [
        Line(
            f"one book, {WRITERS} writers vs 1 writer",
            summary(rates["post4"], "/s", digits=0),
            summary(rates["post1"], "/s", digits=0),
            f"{ratio:.3f}",
            ">= 0.9x",
            ratio >= 0.9,
        )
    ]


def verify_vs_chain(made, sizes: dict) -> list[Line]:
    """check_book (what `ledger verify` does for a book) against the bare SHA-256 chain over its bytes."""
    url = made.fresh()
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    now = Clock().now()
    with unit_of_work(sessions) as session:
        book_id = open_book(session, name="Large Ward", now=now).id
    fill(sessions, book_id, postings=sizes["verify"], until=now.date(), days=400, now=now)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    verify(sessions, book_id)  # warm up
    times: dict[str, list[float]] = {"verify": [], "bare": []}
    for _round in range(sizes["rounds"]):
        for name, run in (("verify", verify), ("bare", lambda _s, b: bare_chain(engine, b))):
            started = time.perf_counter()
            run(sessions, book_id)
            times[name].append(time.perf_counter() - started)
    tracemalloc.start()
    verify(sessions, book_id)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    engine.dispose()
    ratio = statistics.median(times["verify"]) / statistics.median(times["bare"])
    return [
        Line(
            f"ledger verify vs bare chain ({sizes['verify']} postings)",
            summary(times["verify"], "s", digits=2) + f", {peak:.0f} MiB",
            summary(times["bare"], "s", digits=2),
            f"{ratio:.2f}",
            "<= 3x, <= 150 MB",
            ratio <= 3 and peak <= 150,
        )
    ]


class TimedGateway:
    """The app's gateway, passed through, adding up the seconds spent inside its calls: the gateway's time."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self.seconds = 0.0

    def __getattr__(self, name: str):
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def start_emulator() -> tuple[subprocess.Popen, str]:
    """The Stripe emulator (localstripe through our launcher) on a free port; the process and its URL."""
    from tests.helpers.environment import free_port

    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own emulator launcher, with this Python
        [sys.executable, "-m", "pledgebank.payments.emulator", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/v1/customers", timeout=1)  # noqa: S310 - our own emulator
            return process, base
        except urllib.error.HTTPError:
            return process, base  # it answers (401 without a key): it is up
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)  # waiting for a process to listen, not a timed measure
    process.kill()
    raise SystemExit("the Stripe emulator did not start")


def collection_end(made, sizes: dict) -> list[Line]:
    """run-due over the end of collection of an N-pledger pledge: holds, captures, ledger, receipts.

    One pledge a round, collected before the next is made; the emulator answers the card calls and the time
    spent inside the gateway's calls is subtracted; our part is given per pledger."""
    import tempfile

    from pledgebank import create_app
    from pledgebank.jobs import run_due
    from tests.factories.pledges import make_pledge, many_residents, neighbourhood_with, pledge_with_card
    from tests.helpers.app import with_stripe
    from tests.helpers.environment import START

    n, rounds = sizes["pledgers"], sizes["rounds"]
    url = made.fresh()
    upgrade(url)
    process, base = start_emulator()
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
                "MAIL_OUTBOX": folder,
                "BASE_URL": "http://localhost",
                "CLOCK": Clock(frozen_at=START),
            }
            app = create_app(with_stripe(config, base))
            quiet()
            sessions = app.extensions["pledgebank.sessions"]
            slug, chair, _ = neighbourhood_with(sessions, residents=0)
            people = many_residents(sessions, slug, n * rounds)
            gateway = TimedGateway(app.extensions["pledgebank.gateway"])
            app.extensions["pledgebank.gateway"] = gateway
            clock = app.extensions["pledgebank.clock"]
            ours: list[float] = []
            theirs: list[float] = []
            for r in range(rounds):
                pledge = make_pledge(app, slug, chair, target_pledgers=n)  # ends in ten days
                for person in people[r * n : (r + 1) * n]:
                    pledge_with_card(app, pledge, person)
                run_due(app)  # holds placed while collecting, before the end: not measured
                clock.advance(timedelta(days=10, hours=1))
                gateway.seconds = 0.0
                started = time.perf_counter()
                while run_due(app):
                    pass
                ours.append((time.perf_counter() - started - gateway.seconds) / n)
                theirs.append(gateway.seconds / n)
            app.extensions["pledgebank.engine"].dispose()
    finally:
        process.terminate()
        process.wait(timeout=10)
    median = statistics.median(ours)
    return [
        Line(
            f"collection end, {n} pledgers, our part",
            summary(ours, "ms/pledger", scale=1000, digits=2),
            "gateway " + summary(theirs, "ms/pledger", scale=1000, digits=2) + " (out)",
            "-",
            "<= 5 ms a pledger",
            median * 1000 <= 5,
        )
    ]
