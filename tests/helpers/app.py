"""Helpers for tests: reading the outbox, a CSRF-aware client, and factories built on the real services."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from pledgebank.accounts.services import create_user
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods import roles, services
from pledgebank.neighbourhoods.models import Neighbourhood

PASSWORD = "correct horse battery staple"
STRIPE_TEST_KEY = "sk_test_pledgebank_local"
STRIPE_WEBHOOK_SECRET = "whsec_pledgebank_test"
WHEN = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Mail:
    """One email read back from the outbox."""

    to: str
    subject: str
    body: str

    @property
    def links(self) -> list[str]:
        """Every URL in the body."""
        return _LINK.findall(self.body)

    def path(self, contains: str) -> str:
        """The path (without host) of the first link containing the text."""
        link = next(url for url in self.links if contains in url)
        return "/" + link.split("/", 3)[3]


class Outbox:
    """The emails written to the outbox folder, oldest first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def all(self) -> list[Mail]:
        """Every email so far."""
        mails = []
        for path in sorted(self.folder.glob("*.eml")) if self.folder.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",)).get_content()
            mails.append(Mail(str(message["To"]), str(message["Subject"]), body))
        return mails

    def to(self, address: str) -> list[Mail]:
        """Emails sent to one address."""
        return [mail for mail in self.all() if mail.to == address]

    def last(self, address: str) -> Mail:
        """The newest email to an address."""
        mails = self.to(address)
        assert mails, f"no email to {address}"
        return mails[-1]


class WebClient:
    """Wraps Flask's test client; post() sends the CSRF token a page of ours would carry."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs) -> TestResponse:
        """GET a page."""
        return self.client.get(url, **kwargs)

    def csrf_token(self, page: str = "/login") -> str:
        """A valid CSRF token for this client's session, read from a page's form."""
        match = _CSRF.search(self.client.get(page).get_data(as_text=True))
        assert match, f"no csrf token on {page}"
        return match.group(1)

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs) -> TestResponse:
        """POST a form (with a CSRF token unless csrf=False)."""
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf_token())
        return self.client.post(url, data=form, **kwargs)

    def login(self, address: str, password: str = PASSWORD) -> TestResponse:
        """Sign in through the login form."""
        response = self.post("/login", {"email": address, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def logout(self) -> TestResponse:
        """Sign out through the header form."""
        return self.post("/logout")


def make_user(
    sessions, address: str, name: str = "Test Person", *, verified: bool = True, password: str = PASSWORD
) -> int:
    """Create a user through the real service and return their id."""
    with unit_of_work(sessions) as session:
        return create_user(
            session, email=address, display_name=name, password=password, now=WHEN, verified=verified
        ).id


def make_neighbourhood(sessions, chair_id: int, name: str = "Elm Park", district: str = "SE15") -> str:
    """Create a neighbourhood chaired by chair_id and return its slug."""
    with unit_of_work(sessions) as session:
        return services.create_neighbourhood(
            session,
            actor_id=chair_id,
            name=name,
            postcode_district=district,
            description="",
            currency="GBP",
            now=WHEN,
        ).slug


def add_member(sessions, slug: str, user_id: int, *granted: str) -> None:
    """Join user_id to the neighbourhood and have its first chair grant them roles."""
    with unit_of_work(sessions) as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        services.join_neighbourhood(session, actor_id=user_id, neighbourhood=neighbourhood, now=WHEN)
        chair_id = neighbourhood.created_by_id
        for role in granted:
            roles.grant_role(
                session, actor_id=chair_id, neighbourhood=neighbourhood, user_id=user_id, role=role, now=WHEN
            )


def neighbourhood(session, slug: str) -> Neighbourhood:
    """Load a neighbourhood by slug."""
    return services.get_neighbourhood(session, slug)


def with_stripe(config: dict, api_base: str) -> dict:
    """App settings that point the service at the emulator in test mode."""
    return {
        **config,
        "STRIPE_SECRET_KEY": STRIPE_TEST_KEY,
        "STRIPE_PUBLISHABLE_KEY": "pk_test_pledgebank_local",
        "STRIPE_WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET,
        "STRIPE_API_BASE": api_base,
    }
