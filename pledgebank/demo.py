"""`pledgebank demo`: migrate the embedded database, load demo data, print how to sign in, and serve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import migrate
from pledgebank.accounts.services import create_user
from pledgebank.books.services import book_of, post
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods import funds, roles, services
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.web.session import now, transaction

DEMO_PASSWORD = "pledgebank-demo"  # noqa: S105 - printed on start; demo data only
DEMO_SLUG = "elm-park"


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


def seed(session: Session, *, at: datetime, currency: str) -> bool:
    """Load the demo neighbourhood unless it is there already; return True if it was loaded now."""
    if session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == DEMO_SLUG)) is not None:
        return False
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
    _seed_ledger(session, place, treasurer_id=ids[PEOPLE[1].email], at=at, currency=currency)
    return True


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
        rules.card_payment_received(
            gross=gbp(2_500),
            fee=gbp(58),
            fund="playground-fund",
            income_source="pledges",
            key="demo:card:1",
            on=day - timedelta(days=12),
            source={"demo": 2},
        ),
        rules.card_payment_received(
            gross=gbp(1_000),
            fee=gbp(35),
            fund="playground-fund",
            income_source="pledges",
            key="demo:card:2",
            on=day - timedelta(days=11),
            source={"demo": 3},
        ),
        rules.payout(amount=gbp(3_407), key="demo:payout:1", on=day - timedelta(days=5), source={"demo": 4}),
        rules.cash_banked(
            amount=gbp(10_000),
            key="demo:banked:1",
            on=day - timedelta(days=4),
            source={"demo": 5},
            actor_id=treasurer_id,
        ),
        rules.grant_awarded(
            amount=gbp(7_500),
            fund="general",
            key="demo:award:1",
            on=day - timedelta(days=3),
            source={"demo": 6},
            actor_id=treasurer_id,
        ),
        rules.grant_paid(
            amount=gbp(7_500),
            from_account=chart.BANK,
            key="demo:paid:1",
            on=day - timedelta(days=1),
            source={"demo": 7},
            actor_id=treasurer_id,
        ),
    ]
    for entry in entries:
        post(session, book=book, entry=entry, now=at)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Start the web server after loading the data.")
@with_appcontext
def demo(host: str, port: int, serve: bool) -> None:
    """Migrate the database, load the demo neighbourhood, print the demo logins, and serve."""
    app = current_app._get_current_object()
    migrate.upgrade(app.config["DATABASE_URL"])
    with transaction() as session:
        loaded = seed(session, at=now(), currency=app.config["CURRENCY"])
    click.echo("Demo data " + ("loaded." if loaded else "already present."))
    click.echo(f"Database: {app.config['DATABASE_URL']}")
    click.echo(f"Every demo account's password is: {DEMO_PASSWORD}")
    for person in PEOPLE:
        click.echo(f"  {person.email:<22} {person.name:<14} {', '.join(('resident', *person.roles))}")
    if app.config.get("MAIL_OUTBOX"):
        click.echo(
            f"Emails are written to {app.config['MAIL_OUTBOX']} and listed at http://{host}:{port}/dev/outbox"
        )
    if serve:
        click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
