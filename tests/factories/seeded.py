"""A neighbourhood with everything in it, for probing the whole service at once: the demo's Elm Park (a chair,
a treasurer, the committee, residents, funds, pledges with card signups, a levy two months old, a grant round
with applications at every stage) plus a draft application and API tokens of the chair's own."""

from __future__ import annotations

import itertools
import os
import shutil
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from pledgebank import create_app, demo
from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.accounts.tokens import API_TOKEN_PREFIX, hash_api_token
from pledgebank.clock import Clock
from pledgebank.db import unit_of_work
from pledgebank.grants import applications
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.models import GrantRound
from pledgebank.levies.models import Levy
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.services import get_pledge
from tests.helpers.app import with_stripe
from tests.helpers.environment import START
from tests.helpers.ledger_sql import PG_ADMIN_URL, admin, pg_url
from tests.helpers.seeded_tools import seed_tools

# Fixed secrets, so that a probe built before the app exists can already carry them.
READ_WRITE_SECRET = API_TOKEN_PREFIX + "seeded-chair-read-write-0123456789abcdef"
READ_SECRET = API_TOKEN_PREFIX + "seeded-chair-read-only-0123456789abcdef"
TREASURER_SECRET = API_TOKEN_PREFIX + "seeded-treasurer-read-write-0123456789abcdef"
CHAIR = "priya@example.org"
_copies = itertools.count(1)
TREASURER = "tom@example.org"
RESIDENT = "ben@example.org"


@dataclass(frozen=True, slots=True)
class Seeded:
    """What the seeded neighbourhood holds, by id, and the chair's API secrets."""

    slug: str
    people: dict[str, int]
    pledge_id: int
    minimum_pledge_id: int
    round_id: int
    application_id: int
    levy_id: int
    read_write_token: str
    read_token: str
    # Rows for the tool forms to act on, by name (tests.helpers.seeded_tools).
    tools: dict[str, int | str] = field(default_factory=dict)
    # The treasurer's read-write secret (refunds are the treasurer's alone).
    treasurer_token: str = TREASURER_SECRET

    @property
    def chair(self) -> int:
        """The chair's user id."""
        return self.people[CHAIR]


def seed(app) -> Seeded:
    """Load the demo neighbourhood through the real services (card signups need the Stripe emulator)."""
    sessions = app.extensions["pledgebank.sessions"]
    now = app.extensions["pledgebank.clock"].now()
    with app.app_context():
        with unit_of_work(sessions) as session:
            people = demo.seed(session, at=now, currency="GBP")
        demo.seed_giftaid(app, people)
        demo.seed_pledges(app, people)
        demo.seed_levies(app, people)
        demo.seed_grants(app, people)
    tools = seed_tools(app, people, demo.DEMO_SLUG)
    chair = people[CHAIR]
    with unit_of_work(sessions) as session:
        pledge_id = session.scalar(select(Pledge.id).where(Pledge.title == "Mend the playground fence"))
        assert get_pledge(session, pledge_id).status == "open"
        trees = select(Pledge.id).where(Pledge.title == "Plant twenty street trees")
        minimum_pledge_id = session.scalar(trees)
        grant_round = session.scalars(select(GrantRound)).one()
        draft = applications.create_application(
            session,
            actor_id=chair,
            grant_round=grant_round,
            now=now,
            terms=ApplicationTerms(
                "Hanging baskets",
                "Six baskets on the lamp posts of Elm Park Road.",
                6_000,
                [("Baskets", 6_000)],
            ),
        )
        levy_id = session.scalars(select(Levy.id)).one()
        for secret, scope, owner in (
            (READ_WRITE_SECRET, "read-write", chair),
            (READ_SECRET, "read", chair),
            (TREASURER_SECRET, "read-write", people[TREASURER]),
        ):
            token, _ = create_api_token(session, user_id=owner, name=scope, scope=scope, now=now)
            token.prefix, token.token_hash = secret[:12], hash_api_token(secret)
        return Seeded(
            slug=demo.DEMO_SLUG,
            people=people,
            pledge_id=pledge_id,
            minimum_pledge_id=minimum_pledge_id,
            round_id=grant_round.id,
            application_id=draft.id,
            levy_id=levy_id,
            read_write_token=READ_WRITE_SECRET,
            read_token=READ_SECRET,
            tools=tools,
        )


class SeededCopies:
    """The seeded neighbourhood, made once, and fresh copies of it on demand."""

    def __init__(self, template: str, folder: Path, stripe_base: str, **settings) -> None:
        reset = urllib.request.Request(f"{stripe_base}/_config/data", method="DELETE")  # noqa: S310
        urllib.request.urlopen(reset, timeout=5)  # noqa: S310 - our own local emulator
        self.folder, self.stripe_base, self.settings = folder, stripe_base, settings
        self._databases: list[str] = []
        self._apps: list = []
        self._source = self._copy(template)
        app = self._app_on(self._source)
        self.seeded = seed(app)
        # Closing every connection also folds SQLite's write-ahead log into the file that gets copied.
        app.extensions["pledgebank.engine"].dispose()

    def _copy(self, source: str) -> str:
        number = next(_copies)
        if PG_ADMIN_URL:
            name = f"pbt_seeded_{os.getpid()}_{number}"
            admin(f"CREATE DATABASE {name} TEMPLATE {source}")
            self._databases.append(name)
            return name
        path = self.folder / f"seeded-{number}.sqlite3"
        shutil.copyfile(source, path)
        return str(path)

    def _app_on(self, database: str):
        url = pg_url(database) if PG_ADMIN_URL else f"sqlite:///{database}"
        app = create_app(
            with_stripe(
                {
                    "DATABASE_URL": url,
                    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                    "MAIL_OUTBOX": str(self.folder / "outbox"),
                    "DOCUMENT_DIR": str(self.folder / "documents"),
                    "BASE_URL": "http://localhost",
                    "CLOCK": Clock(frozen_at=START),
                    "PASSWORD_HASH_TIME_COST": 1,
                    "PASSWORD_HASH_MEMORY_KIB": 1024,
                    **self.settings,
                },
                self.stripe_base,
            )
        )
        self._apps.append(app)
        return app

    def app(self):
        """An app on a fresh copy of the seeded database."""
        return self._app_on(self._copy(self._source))

    def close(self) -> None:
        """Close every app and drop the copies."""
        for app in self._apps:
            app.extensions["pledgebank.engine"].dispose()
        for name in reversed(self._databases):
            admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def seeded_copies(template: str, folder: Path, stripe_base: str, **settings) -> Iterator[SeededCopies]:
    """Seeded copies for a whole module, dropped at its end."""
    copies = SeededCopies(template, folder, stripe_base, **settings)
    try:
        yield copies
    finally:
        copies.close()


@contextmanager
def seeded_app(template: str, folder: Path, stripe_base: str, **settings) -> Iterator[tuple[object, Seeded]]:
    """An app on its own seeded copy of the migrated database, for a whole module."""
    with seeded_copies(template, folder, stripe_base, **settings) as copies:
        yield copies.app(), copies.seeded


def openapi_document() -> dict:
    """The OpenAPI document as the app publishes it (building it needs no database)."""
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "openapi-document-only-" * 3})
    return app.extensions["pledgebank.api"].spec.to_dict()
