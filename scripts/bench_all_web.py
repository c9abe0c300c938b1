"""bench_all's web measures: the public page under concurrent clients against a bare Flask one-SELECT page
rendered through Jinja, the small book beside a big one against alone, and the activation request.

Both apps of the page measure are served in this process by werkzeug's threaded WSGI server (one thread a
request); the clients are threads of this process too, each fetching its share with its own connections."""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_all import Line, quiet, summary
from bench_book_scoped import app_for, build, fetch_ms
from flask import Flask, render_template_string
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

BARE_PAGE = "<!doctype html><html lang=en><title>{{ name }}</title><h1>{{ name }}</h1><p>{{ district }}</p>"


def bare_app(url: str, slug: str) -> Flask:
    """A bare Flask app whose one page runs one SELECT and renders it through Jinja: the floor."""
    app = Flask("bench_bare")
    engine = create_engine(url)  # SQLAlchemy's default pool, as the app's; no pre-ping
    app.extensions["bench.engine"] = engine

    @app.get("/n/<slug>")
    def page(slug: str):
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT name, postcode_district FROM neighbourhoods WHERE slug = :slug"), {"slug": slug}
            ).one()
        return render_template_string(BARE_PAGE, name=row.name, district=row.postcode_district)

    return app


def load(base: str, path: str, clients: int, requests: int) -> tuple[float, list[float]]:
    """Requests a second and each request's milliseconds, `clients` threads fetching `requests` each."""

    def client(_n: int) -> list[float]:
        spent = []
        for _r in range(requests):
            started = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310 - our own server
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{path} answered {response.status}")
            spent.append((time.perf_counter() - started) * 1000)
        return spent

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = [ms for spent in pool.map(client, range(clients)) for ms in spent]
    return len(latencies) / (time.perf_counter() - started), latencies


def p99(latencies: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(latencies, n=100, method="inclusive")[98]


def serve(app) -> tuple[object, str]:
    """The app under werkzeug's threaded server on a free port, in a thread; the server and its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def page_under_load(made, sizes: dict) -> list[Line]:
    """The neighbourhood's public page against the bare page, same clients, interleaved rounds."""
    url = made.fresh()
    slug = build(url, small=sizes["small"], large=0)
    clients, requests = sizes["clients"], sizes["requests"]
    with tempfile.TemporaryDirectory() as folder:
        ours_app = app_for(url, Path(folder))
        quiet()
        apps = {"ours": ours_app, "bare": bare_app(url, slug)}
        servers = {key: serve(app) for key, app in apps.items()}
        rates: dict[str, list[float]] = {key: [] for key in apps}
        tails: dict[str, list[float]] = {key: [] for key in apps}
        path = f"/n/{slug}"
        for _key, (_server, base) in servers.items():
            load(base, path, 1, 2)  # warm up
        for _round in range(sizes["page_rounds"]):
            for key, (_server, base) in servers.items():
                rate, latencies = load(base, path, clients, requests)
                rates[key].append(rate)
                tails[key].append(p99(latencies))
        for server, _base in servers.values():
            server.shutdown()
        ours_app.extensions["pledgebank.engine"].dispose()
        apps["bare"].extensions["bench.engine"].dispose()
    ratio = statistics.median(rates["ours"]) / statistics.median(rates["bare"])
    tail = statistics.median(tails["ours"])
    return [
        Line(
            f"public page, {clients} clients vs bare (werkzeug)",
            summary(rates["ours"], "req/s") + f", p99 {tail:.0f} ms",
            summary(rates["bare"], "req/s") + f", p99 {statistics.median(tails['bare']):.0f} ms",
            f"{ratio:.3f}",
            ">= 0.3x, p99 <= 300 ms",
            ratio >= 0.3 and tail <= 300,
        )
    ]


def small_beside_large(made, sizes: dict) -> list[Line]:
    """The small book's public page beside a large book against beside nothing (bench_book_scoped's build)."""
    urls = {"alone": made.fresh(), "beside": made.fresh()}
    slug = build(urls["alone"], small=sizes["small"], large=0)
    build(urls["beside"], small=sizes["small"], large=sizes["large"])
    with tempfile.TemporaryDirectory() as folder:
        apps = {key: app_for(url, Path(folder) / key) for key, url in urls.items()}
        quiet()
        clients = {key: app.test_client() for key, app in apps.items()}
        path = f"/n/{slug}"
        for client in clients.values():
            fetch_ms(client, path)
        times: dict[str, list[float]] = {key: [] for key in clients}
        for _round in range(sizes["rounds"] * 5):
            for key, client in clients.items():
                times[key].append(fetch_ms(client, path))
        for app in apps.values():
            app.extensions["pledgebank.engine"].dispose()
    ratio = statistics.median(times["beside"]) / statistics.median(times["alone"])
    return [
        Line(
            f"small book page beside {sizes['large']} postings",
            summary(times["beside"], "ms"),
            "alone " + summary(times["alone"], "ms"),
            f"{ratio:.2f}",
            "<= 1.2x",
            ratio <= 1.2,
        )
    ]


def activation_request(made, sizes: dict) -> list[Line]:
    """The work of the request that meets an N-pledger pledge's target: the treasurer records the last
    pledger's cash as received (signups.record_cash in one unit of work, as the "received" form's view does;
    the form and HTTP layers are not included). The N-1 before it are recorded first; one pledge a round.
    Its status must then be "collecting". Separate workers, as in production: the request queues its N
    emails (in its own transaction) and sends none."""
    from pledgebank import create_app
    from pledgebank.clock import Clock
    from pledgebank.migrate import upgrade
    from pledgebank.pledges.models import Pledge
    from tests.factories.pledges import make_pledge, many_residents, neighbourhood_with, record_cash, sign
    from tests.helpers.environment import START

    n, rounds = sizes["pledgers"], sizes["rounds"]
    url = made.fresh()
    upgrade(url)
    spent: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        config = {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "MAIL_OUTBOX": folder,
            "BASE_URL": "http://localhost",
            "CLOCK": Clock(frozen_at=START),
            "TASK_WORKER": "separate",
        }
        app = create_app(config)
        quiet()
        sessions = app.extensions["pledgebank.sessions"]
        slug, chair, _ = neighbourhood_with(sessions, residents=0)
        people = many_residents(sessions, slug, n * rounds)
        for r in range(rounds):
            pledge = make_pledge(app, slug, chair, target_pledgers=n)
            signed = [sign(app, pledge, person, method="cash") for person in people[r * n : (r + 1) * n]]
            for signup in signed[:-1]:
                record_cash(app, signup, chair)
            started = time.perf_counter()
            record_cash(app, signed[-1], chair)
            spent.append((time.perf_counter() - started) * 1000)
            with sessions() as session:
                status = session.get(Pledge, pledge).status
            if str(getattr(status, "value", status)) != "collecting":
                raise SystemExit(f"the last cash received left the pledge {status}, not collecting")
        app.extensions["pledgebank.engine"].dispose()
    median = statistics.median(spent)
    return [
        Line(
            f"activation (last cash received), {n} pledgers",
            summary(spent, "ms"),
            "-",
            "-",
            "<= 300 ms",
            median <= 300,
        )
    ]
