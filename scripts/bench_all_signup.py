"""bench_all's API sign-up measure: cash pledges posted through the API by concurrent clients to our app under
gunicorn (sync workers, production settings, jobs queued for separate workers), against a bare Flask app
whose one endpoint runs one INSERT, under the same gunicorn, interleaved round by round.

Each client has its own account and read-write token and pledges to a different pledge each request (the
pledges are shared between clients, so requests meet on a pledge's row lock as they would in use)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench_all import Line, quiet

WORKERS = 5  # gunicorn sync workers, as the issue measured
BOOT_SECONDS = 300  # five workers importing the app on a busy 2-core machine take a minute or more
HERE = Path(__file__).resolve().parent


@contextmanager
def _served(env: dict[str, str], app: str, cwd: Path):
    """gunicorn -w WORKERS serving `app` from `cwd`, answering on /healthz before the measure starts."""
    from tests.helpers.environment import free_port

    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    # Its log to a file: a pipe nobody reads would fill and stop the workers mid-measure.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [*command, "--no-control-socket", app], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310 - our own server
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"gunicorn did not start: {log.read().decode()[-2000:]}") from None
            time.sleep(0.1)


def _post(url: str, body: dict, headers: dict[str, str]) -> float:
    """Milliseconds to POST the JSON body; fails the run unless the answer is 201."""
    request = urllib.request.Request(  # noqa: S310 - our own server
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our own server
        response.read()
        if response.status != 201:
            raise SystemExit(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def _load(calls: list[list[tuple[str, dict, dict]]]) -> tuple[float, list[float]]:
    """Requests a second and each request's milliseconds, one thread a client making its calls in order."""

    def client(mine: list[tuple[str, dict, dict]]) -> list[float]:
        return [_post(url, body, headers) for url, body, headers in mine]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        latencies = [ms for spent in pool.map(client, calls) for ms in spent]
    return len(latencies) / (time.perf_counter() - started), latencies


def _arrange(url: str, clients: int, pledges: int) -> tuple[list[int], list[str]]:
    """A neighbourhood with `pledges` cash pledges and `clients` residents, each with a read-write token."""
    from pledgebank import create_app
    from pledgebank.accounts.api_tokens import create_api_token
    from pledgebank.db import unit_of_work
    from tests.factories.pledges import make_pledge, many_residents, neighbourhood_with
    from tests.helpers.app import WHEN

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "TASK_WORKER": "separate",
        }
    )
    quiet()
    sessions = app.extensions["pledgebank.sessions"]
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = many_residents(sessions, slug, clients)
    made = [
        make_pledge(app, slug, chair, target_pledgers=10_000, title=f"Pledge {n}") for n in range(pledges)
    ]
    with unit_of_work(sessions) as session:
        secrets = [
            create_api_token(session, user_id=person, name="bench", scope="read-write", now=WHEN)[1]
            for person in people
        ]
    app.extensions["pledgebank.engine"].dispose()
    return made, secrets


def api_signup(made, sizes: dict) -> list[Line]:
    """The measure: ours against the bare one-INSERT app, `rounds` times each, interleaved."""
    from sqlalchemy import create_engine, text

    from pledgebank.migrate import upgrade
    from tests.helpers.gunicorn import production_environment

    clients, requests, rounds = sizes["clients"], sizes["requests"], sizes["rounds"]
    url = made.fresh()
    upgrade(url)
    pledges, secrets = _arrange(url, clients, requests * rounds)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE bench_signups (id bigserial PRIMARY KEY, pledge_id bigint, method text)")
        )
    engine.dispose()
    # Production settings as deployed: gunicorn's processes share the rate limits through Redis (none
    # applies to this endpoint, so the measure does not depend on it).
    ours_env = production_environment(
        url, REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    bare_env = {**ours_env, "BENCH_DATABASE_URL": url}
    ours: list[tuple[float, list[float]]] = []
    bare: list[tuple[float, list[float]]] = []
    with (
        _served(ours_env, "app:app", HERE.parent) as ours_base,
        _served(bare_env, "bench_bare_insert:app", HERE) as bare_base,
    ):
        for r in range(rounds):
            round_pledges = pledges[r * requests : (r + 1) * requests]
            ours.append(
                _load(
                    [
                        [
                            (
                                f"{ours_base}/api/v1/pledges/{round_pledges[(c + n) % requests]}/signups",
                                {"method": "cash"},
                                {"Authorization": f"Bearer {secrets[c]}"},
                            )
                            for n in range(requests)
                        ]
                        for c in range(clients)
                    ]
                )
            )
            bare.append(
                _load(
                    [
                        [
                            (f"{bare_base}/signups", {"pledge": (c + n) % requests, "method": "cash"}, {})
                            for n in range(requests)
                        ]
                        for c in range(clients)
                    ]
                )
            )
    return [_line(ours, bare, clients)]


def _line(ours: list[tuple[float, list[float]]], bare: list[tuple[float, list[float]]], clients: int) -> Line:
    def p99(latencies: list[float]) -> float:
        return statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else latencies[0]

    ours_rate = statistics.median(rate for rate, _ in ours)
    bare_rate = statistics.median(rate for rate, _ in bare)
    ours_p99 = statistics.median(p99(spent) for _, spent in ours)
    bare_p99 = statistics.median(p99(spent) for _, spent in bare)
    ratio = ours_rate / bare_rate
    return Line(
        f"API cash sign-up, {clients} clients vs bare",
        f"med {ours_rate:.0f} req/s (min {min(r for r, _ in ours):.0f}), p99 {ours_p99:.0f} ms",
        f"med {bare_rate:.0f} req/s, p99 {bare_p99:.0f} ms",
        f"{ratio:.2f}",
        ">= 0.5x, p99 <= 300 ms",
        ratio >= 0.5 and ours_p99 <= 300,
    )
