"""`pledgebank demo`: the embedded database and the Stripe emulator, demo data, the logins, and the server.

Unless real Stripe keys are configured, the demo starts the local Stripe emulator (localstripe through our
launcher, on 127.0.0.1) and runs in Stripe's test mode against it, so pledges can be made with test cards.
Demo mode also shows buttons that move the service's clock forward, to watch a pledge activate and collect.
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
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import run_simple

from pledgebank import PROJECT_ROOT, create_app, migrate
from pledgebank.accounts.services import create_user
from pledgebank.books.demo import seed_books
from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.grants.demo import seed_grants
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.levies.demo import seed_levies
from pledgebank.neighbourhoods import funds, roles, services
from pledgebank.neighbourhoods.models import Neighbourhood

log = logging.getLogger(__name__)

DEMO_PASSWORD = "pledgebank-demo"  # noqa: S105 - printed on start; demo data only
DEMO_SLUG = "elm-park"
EMULATOR_PORT = 8420
DEMO_WEBHOOK_SECRET = "whsec_pledgebank_demo"  # noqa: S105 - the local emulator's, not a real secret


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """Someone in the demo neighbourhood."""

    name: str
    email: str
    roles: tuple[str, ...]


PEOPLE = (
    DemoPerson("Priya Shah", "priya@example.org", ("chair",)),
    DemoPerson("Tom Okafor", "tom@example.org", ("treasurer", "committee")),
    DemoPerson("Aisha Rahman", "aisha@example.org", ("committee",)),
    DemoPerson("Gareth Jones", "gareth@example.org", ("committee",)),
    DemoPerson("Ben Clarke", "ben@example.org", ()),
    DemoPerson("Sofia Rossi", "sofia@example.org", ()),
    DemoPerson("Li Wei", "li@example.org", ()),
)


def seed(session: Session, *, at: datetime, currency: str) -> dict[str, int] | None:
    """Load the demo neighbourhood unless it is there already; return the people's ids if loaded now."""
    if session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == DEMO_SLUG)) is not None:
        return None
    ids = {}
    for person in PEOPLE:
        user = create_user(
            session,
            email=person.email,
            display_name=person.name,
            password=DEMO_PASSWORD,
            now=at,
            verified=True,
        )
        ids[person.email] = user.id
    chair_id = ids[PEOPLE[0].email]
    place = services.create_neighbourhood(
        session,
        actor_id=chair_id,
        name="Elm Park",
        postcode_district="SE15",
        currency=currency,
        now=at,
        description="The streets around Elm Park: mending the playground, planting trees, helping out.",
    )
    for person in PEOPLE[1:]:
        services.join_neighbourhood(session, actor_id=ids[person.email], neighbourhood=place, now=at)
        for role in person.roles:
            roles.grant_role(
                session, actor_id=chair_id, neighbourhood=place, user_id=ids[person.email], role=role, now=at
            )
    funds.add_fund(
        session,
        actor_id=chair_id,
        neighbourhood=place,
        name="Playground fund",
        now=at,
        description="Repairs to the Elm Park playground fence and equipment.",
    )
    funds.add_fund(
        session,
        actor_id=chair_id,
        neighbourhood=place,
        name="Street trees",
        now=at,
        description="Money given for the street trees pledge.",
        fund_type="restricted",
        purpose="Planting and looking after young street trees along Victoria Road.",
    )
    _seed_ledger(session, place, treasurer_id=ids[PEOPLE[1].email], at=at, currency=currency)
    return ids


def _seed_ledger(
    session: Session, place: Neighbourhood, *, treasurer_id: int, at: datetime, currency: str
) -> None:
    book = book_of(session, place.id)
    day = at.date()

    def gbp(pence: int) -> Money:
        return Money(pence, currency)

    entries = [
        rules.cash_received(
            amount=gbp(12_000),
            fund="general",
            income_source="donations",
            key="demo:cash:1",
            on=day - timedelta(days=20),
            source={"demo": 1},
            actor_id=treasurer_id,
        ),
        rules.cash_banked(
            amount=gbp(10_000),
            fund="general",
            key="demo:banked:1",
            on=day - timedelta(days=4),
            source={"demo": 2},
            actor_id=treasurer_id,
        ),
        rules.grant_awarded(
            amount=gbp(7_500),
            fund="general",
            key="demo:award:1",
            on=day - timedelta(days=3),
            source={"demo": 3},
            actor_id=treasurer_id,
        ),
        rules.grant_paid(
            amount=gbp(7_500),
            fund="general",
            from_account=chart.BANK,
            key="demo:paid:1",
            on=day - timedelta(days=1),
            source={"demo": 4},
            actor_id=treasurer_id,
        ),
    ]
    for entry in entries:
        post(session, book=book, entry=entry, now=at)


def seed_pledges(app: Flask, ids: dict[str, int]) -> None:
    """Three demo pledges: three residents have already pledged to the first with a test card (one listed by
    name, one as a neighbour), and a resident's question on it has the creator's answer; the third is a pledge
    of time that two committee members have signed up to."""
    from pledgebank.jobs import payments_context
    from pledgebank.payments.gateway import TestCard
    from pledgebank.pledges import cards, comments, extras, signers, signups
    from pledgebank.pledges.services import PledgeTerms, create_pledge, get_pledge

    now = app.extensions["pledgebank.clock"].now()
    sessions = app.extensions["pledgebank.sessions"]
    chair, treasurer = ids[PEOPLE[0].email], ids[PEOPLE[1].email]
    with unit_of_work(sessions) as session:
        place = services.get_neighbourhood(session, DEMO_SLUG)
        fence = create_pledge(
            session,
            actor_id=chair,
            neighbourhood=place,
            now=now,
            terms=PledgeTerms(
                fund_slug="playground-fund",
                title="Mend the playground fence",
                action="mend the playground fence",
                description="Replace the broken posts and panels on the north side of the playground.",
                amount_kind="fixed",
                amount=1000,
                target_pledgers=5,
                target_amount=None,
                deadline=now + timedelta(days=14),
            ),
        )
        trees = create_pledge(
            session,
            actor_id=treasurer,
            neighbourhood=place,
            now=now,
            terms=PledgeTerms(
                fund_slug="street-trees",
                title="Plant twenty street trees",
                action="plant twenty street trees on Victoria Road",
                description="Twenty young limes and rowans along Victoria Road, planted by volunteers.",
                amount_kind="minimum",
                amount=500,
                target_pledgers=None,
                target_amount=30_000,
                deadline=now + timedelta(days=30),
            ),
        )
        extras.add_match_offer(
            session,
            actor_id=chair,
            pledge=trees,
            sponsor_name="Elm Park Bakery",
            ratio="1:2",
            cap=10_000,
            now=now,
        )
        fence_id = fence.id
        question = comments.add_comment(
            session,
            actor_id=ids[PEOPLE[-1].email],
            pledge=fence,
            body="Will the new posts be treated against rot?",
            parent_id=None,
            now=now,
        )
        comments.add_comment(
            session,
            actor_id=chair,
            pledge=fence,
            body="Yes: pressure-treated timber, guaranteed for 15 years.",
            parent_id=question.id,
            now=now,
        )
        _seed_time_pledge(session, place, [ids[p.email] for p in PEOPLE], now)
    if not app.extensions["pledgebank.gateway"].available:
        return
    ctx = payments_context(app)
    for shown_as, person in zip(("name", "neighbour", "hidden"), PEOPLE[4:], strict=False):
        with unit_of_work(sessions) as session:
            signup_id = signups.sign(
                session,
                actor_id=ids[person.email],
                pledge=get_pledge(session, fence_id),
                amount=None,
                method="card",
                card_payments=True,
                now=now,
            ).id
            signers.change(session, actor_id=ids[person.email], pledge_id=fence_id, shown_as=shown_as)
        cards.use_test_card(
            ctx,
            signup_id=signup_id,
            user_id=ids[person.email],
            card=TestCard.SUCCEEDS,
            return_url=app.config["BASE_URL"],
            now=now,
        )


def _seed_time_pledge(session: Session, place: Neighbourhood, people: list[int], now: datetime) -> None:
    """A pledge of time (no money): two committee members have signed up; one more and it goes ahead."""
    from pledgebank.pledges import signups
    from pledgebank.pledges.services import PledgeTerms, create_pledge

    clean_up = create_pledge(
        session,
        actor_id=people[0],
        neighbourhood=place,
        now=now,
        terms=PledgeTerms(
            kind="time",
            title="Volunteer two hours at the spring clean-up",
            action="volunteer two hours at the spring clean-up on Elm Park Road",
            description="Two hours litter-picking and weeding the beds along Elm Park Road and in the park.",
            next_steps="Meet at the park gates on Elm Park Road at 10:00 on the first Saturday after the "
            "deadline. Gloves, pickers and bags are provided; wear old shoes. Ask for Priya.",
            amount_kind="fixed",
            amount=0,
            target_pledgers=3,
            target_amount=None,
            allow_cash=False,
            deadline=now + timedelta(days=21),
        ),
    )
    for person in people[2:4]:
        signups.sign(
            session,
            actor_id=person,
            pledge=clean_up,
            amount=None,
            method="time",
            card_payments=False,
            now=now,
        )


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

    The treasurer's books come last: they close the previous financial year, after which nothing dated in it
    can be posted.
    """
    with app.app_context():
        now = app.extensions["pledgebank.clock"].now()
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            ids = seed(session, at=now, currency=app.config["CURRENCY"])
        if ids is not None:
            seed_pledges(app, ids)
            seed_levies(app, ids)
            seed_grants(app, ids)
            seed_books(app, ids)
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
    for person in PEOPLE:
        click.echo(f"  {person.email:<22} {person.name:<14} {', '.join(('resident', *person.roles))}")
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
