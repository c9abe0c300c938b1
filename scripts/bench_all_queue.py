"""The task queue's measure for bench_all.py: the end of collection of an N-pledger pledge done by one worker
process, then by two, interleaved round by round (the ratio is the speed-up of the second worker)."""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
from datetime import datetime, timedelta

from bench_all import Line, quiet, summary
from bench_all_money import start_emulator

from pledgebank.clock import Clock
from pledgebank.migrate import upgrade


def _worker(config: dict, at: datetime, ready, go, done) -> None:
    """One worker process: its own app (as `pledgebank worker` makes), waiting for the start, then a burst."""
    from pledgebank import create_app

    app = create_app({**config, "CLOCK": Clock(frozen_at=at)})
    quiet()
    runner = app.extensions["pledgebank.tasks"]
    ready.put(True)
    go.wait()
    done.put(runner.run_until_idle())
    app.extensions["pledgebank.engine"].dispose()


def _collect(config: dict, at: datetime, workers: int) -> float:
    """Seconds from releasing `workers` worker processes to every queued job done."""
    context = multiprocessing.get_context("spawn")
    ready, go, done = context.Queue(), context.Event(), context.Queue()
    processes = [context.Process(target=_worker, args=(config, at, ready, go, done)) for _ in range(workers)]
    for process in processes:
        process.start()
    for _ in processes:  # each has built its app: the clock starts when the work can
        ready.get(timeout=300)
    started = time.perf_counter()
    go.set()
    ran = sum(done.get(timeout=1800) for _ in processes)
    spent = time.perf_counter() - started
    for process in processes:
        process.join(timeout=60)
    if ran == 0:
        raise SystemExit("the workers found no jobs")
    return spent


def collection_workers(made, sizes: dict) -> list[Line]:
    """The end of collection on the queue: the scheduled run fans out one capture job per pledger (not
    timed); then 1 or 2 worker processes run those jobs and the receipts they queue (timed)."""
    from pledgebank import create_app
    from pledgebank.jobs import queue_due, run_due
    from tests.factories.pledges import make_pledge, many_residents, neighbourhood_with, pledge_with_card
    from tests.helpers.app import with_stripe
    from tests.helpers.environment import START

    n, rounds = sizes["pledgers"], sizes["rounds"]
    url = made.fresh()
    upgrade(url)
    process, base = start_emulator()
    timings: dict[int, list[float]] = {1: [], 2: []}
    try:
        with tempfile.TemporaryDirectory() as folder:
            config = with_stripe(
                {
                    "DATABASE_URL": url,
                    "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
                    "MAIL_OUTBOX": folder,
                    "BASE_URL": "http://localhost",
                    "TASK_WORKER": "separate",
                },
                base,
            )
            clock = Clock(frozen_at=START)
            app = create_app({**config, "CLOCK": clock})
            quiet()
            sessions = app.extensions["pledgebank.sessions"]
            slug, chair, _ = neighbourhood_with(sessions, residents=0)
            people = iter(many_residents(sessions, slug, n * rounds * 2))
            for _round in range(rounds):
                for workers in (1, 2):
                    pledge = make_pledge(app, slug, chair, target_pledgers=n)  # ends in ten days
                    for _ in range(n):
                        pledge_with_card(app, pledge, next(people))
                    run_due(app)  # holds placed while collecting: not measured
                    app.extensions["pledgebank.tasks"].run_until_idle()
                    clock.advance(timedelta(days=10, hours=1))
                    queue_due(app)  # the scheduled run: collection ends, one capture job a pledger
                    timings[workers].append(_collect(config, clock.now(), workers))
            app.extensions["pledgebank.engine"].dispose()
    finally:
        process.terminate()
        process.wait(timeout=10)
    one, two = statistics.median(timings[1]), statistics.median(timings[2])
    return [
        Line(
            f"collection end on the queue, {n} pledgers, 2 workers vs 1",
            "2 workers " + summary(timings[2], "s"),
            "1 worker " + summary(timings[1], "s"),
            f"{one / two:.2f}x",
            ">= 1.6x",
            one / two >= 1.6,
        )
    ]
