"""`pledgebank demo`: the embedded database and the Stripe emulator, demo data, the logins, and the server.

Unless real Stripe keys are configured, the demo starts the local Stripe emulator (localstripe through our
launcher, on 127.0.0.1) and runs in Stripe's test mode against it, so pledges can be made with test cards.
Demo mode also shows buttons that move the service's clock forward, to watch a pledge activate and collect.

Each feature seeds its own demo data (`<feature>/demo.py`); this module decides their order, starts the
emulator, prints the logins and serves.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import click
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import run_simple

from pledgebank import PROJECT_ROOT, create_app, migrate
from pledgebank.accounts.demo import DEMO_PASSWORD, PEOPLE, DemoPerson, seed_people
from pledgebank.books.demo import seed_books, seed_opening_entries
from pledgebank.db import unit_of_work
from pledgebank.dividends.demo import seed_dividends
from pledgebank.documents.demo import seed_documents
from pledgebank.examiners.demo import EXAMINER, seed_examiner
from pledgebank.grants.demo import seed_grants
from pledgebank.levies.demo import seed_levies
from pledgebank.neighbourhoods.demo import DEMO_SLUG, is_seeded, seed_neighbourhood
from pledgebank.pledges.demo import seed_pledges
from pledgebank.pulse.demo import seed_pulse
from pledgebank.statements.demo import seed_statements

# The names tests and commands take from here, wherever their data is seeded.
__all__ = [
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "PEOPLE",
    "DemoPerson",
    "demo",
    "load",
    "seed",
    "seed_dividends",
    "seed_grants",
    "seed_levies",
    "seed_pledges",
    "seed_pulse",
]

log = logging.getLogger(__name__)

EMULATOR_PORT = 8420
DEMO_WEBHOOK_SECRET = "whsec_pledgebank_demo"  # noqa: S105 - the local emulator's, not a real secret


def seed(session: Session, *, at: datetime, currency: str) -> dict[str, int] | None:
    """Load the demo people, the neighbourhood and its book's opening entries unless the neighbourhood is
    there already; return the people's ids if loaded now."""
    if is_seeded(session):
        return None
    ids = seed_people(session, at=at)
    place = seed_neighbourhood(session, ids, at=at, currency=currency)
    seed_opening_entries(session, place.id, treasurer_id=ids[PEOPLE[1].email], at=at, currency=currency)
    return ids


def _start_emulator(instance: Path) -> tuple[subprocess.Popen | None, str]:
    base = f"http://127.0.0.1:{EMULATOR_PORT}"
    command = [
        sys.executable,
        "-m",
        "pledgebank.payments.emulator",
        "--port",
        str(EMULATOR_PORT),
        "--store",
        str(instance / "stripe-emulator.pickle"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    for _ in range(100):
        if _answers(base):
            return process, base
        if process.poll() is not None:
            return None, ""
        time.sleep(0.1)
    process.terminate()
    return None, ""


def _answers(base: str) -> bool:
    """True once the emulator answers HTTP at all (it says 401 to a request without a key)."""
    try:
        urllib.request.urlopen(f"{base}/v1/customers", timeout=1)  # noqa: S310 - our local emulator
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _register_webhook(api_base: str, url: str) -> None:
    data = urlencode({"url": url, "secret": DEMO_WEBHOOK_SECRET}).encode()
    request = urllib.request.Request(f"{api_base}/_config/webhooks/demo", data=data, method="POST")  # noqa: S310
    with suppress(OSError):
        urllib.request.urlopen(request, timeout=5)  # noqa: S310


def _run_due_forever(app: Flask, interval: int, stop: threading.Event) -> None:
    from pledgebank.jobs import run_due

    while not stop.wait(interval):
        with app.app_context():
            try:
                for what, count in run_due(app).items():
                    log.warning("run-due: %s %s", count, what)
            except Exception:
                log.exception("run-due failed")


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Start the web server after loading the data.")
def demo(host: str, port: int, serve: bool) -> None:
    """Migrate, start the Stripe emulator, load the demo neighbourhood, print the logins, and serve."""
    instance = PROJECT_ROOT / "instance"
    instance.mkdir(exist_ok=True)
    emulator = None
    if not os.environ.get("PLEDGEBANK_STRIPE_SECRET_KEY"):
        emulator, api_base = _start_emulator(instance)
        if emulator is not None:
            os.environ.update(
                {
                    "PLEDGEBANK_STRIPE_SECRET_KEY": "sk_test_pledgebank_demo",
                    "PLEDGEBANK_STRIPE_PUBLISHABLE_KEY": "pk_test_pledgebank_demo",
                    "PLEDGEBANK_STRIPE_WEBHOOK_SECRET": DEMO_WEBHOOK_SECRET,
                    "PLEDGEBANK_STRIPE_API_BASE": api_base,
                }
            )
            _register_webhook(api_base, f"http://{host}:{port}/stripe/webhook")
    os.environ.setdefault("PLEDGEBANK_DEMO", "1")
    os.environ.setdefault("PLEDGEBANK_BASE_URL", f"http://{host}:{port}")
    try:
        _demo(create_app(), host, port, serve, emulator is not None)
    finally:
        if emulator is not None:
            emulator.terminate()


def load(app: Flask) -> dict[str, int] | None:
    """Load the demo neighbourhood into a migrated database unless it is there; the ids if loaded now.

    The treasurer's books come last but for the examiner, the documents and the bank statements: they close
    the previous financial year, after which nothing dated in it can be posted; then every payment and report
    gets its supporting document, and the statements match and reconcile what is there.
    """
    with app.app_context():
        now = app.extensions["pledgebank.clock"].now()
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            ids = seed(session, at=now, currency=app.config["CURRENCY"])
        if ids is not None:
            seed_pledges(app, ids)
            seed_levies(app, ids)
            seed_grants(app, ids)
            seed_dividends(app, ids)
            seed_pulse(app, ids)
            seed_books(app, ids)
            seed_examiner(app, ids)
            seed_documents(app, ids)
            seed_statements(app, ids)
    return ids


def _demo(app: Flask, host: str, port: int, serve: bool, emulated: bool) -> None:
    migrate.upgrade(app.config["DATABASE_URL"])
    ids = load(app)
    click.echo("Demo data " + ("loaded." if ids else "already present."))
    click.echo(f"Database: {app.config['DATABASE_URL']}")
    if emulated:
        click.echo(
            f"Card payments: Stripe test mode against the local emulator at {app.config['STRIPE_API_BASE']}"
        )
    click.echo(f"Every demo account's password is: {DEMO_PASSWORD}")
    click.echo("In Welsh: press Cymraeg at the top of any page (or add ?lang=cy to an address)")
    for person in PEOPLE:
        click.echo(f"  {person.email:<22} {person.name:<14} {', '.join(('resident', *person.roles))}")
    click.echo(f"  {EXAMINER.email:<22} {EXAMINER.name:<14} {', '.join(EXAMINER.roles)}")
    if app.config.get("MAIL_OUTBOX"):
        click.echo(
            f"Emails are written to {app.config['MAIL_OUTBOX']} and listed at http://{host}:{port}/dev/outbox"
        )
    if not serve:
        return
    stop = threading.Event()
    interval = min(app.config["RUN_DUE_INTERVAL"], 15)
    threading.Thread(target=_run_due_forever, args=(app, interval, stop), daemon=True).start()
    click.echo(f"Serving on http://{host}:{port}/  (due work runs every {interval} s; Ctrl+C to stop)")
    try:
        # Flask's app.run() refuses to start inside a `flask` CLI command; serve with werkzeug directly.
        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
    finally:
        stop.set()
