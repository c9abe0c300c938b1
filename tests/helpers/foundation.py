"""Shared arrangements for the foundation's functional tests: clients, page text, a world of roles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.web.auth import SignedIn
from tests.factories.examiners import appoint
from tests.helpers.app import WebClient, add_member, make_neighbourhood, make_user

_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')
_TAGS = re.compile(r"<[^>]+>")


def new_client(app) -> WebClient:
    """A client with its own cookie jar, like a second browser."""
    return WebClient(app.test_client())


def signed_in_client(app, sessions, user_id: int) -> WebClient:
    """A client whose session already holds this user, as the login form would leave it.

    The login form itself is exercised in the account tests; the permission matrices only need the result.
    """
    with unit_of_work(sessions) as session:
        session_id = SignedIn(session.get(User, user_id)).get_id()
    client = new_client(app)
    with client.client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = session_id
        cookie_session["_fresh"] = True
    return client


def comparable(page: str) -> str:
    """The page with its per-session CSRF token blanked, so two visitors' pages can be compared."""
    return _CSRF_VALUE.sub(r"\1-\2", page)


def visible_text(page: str) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(_TAGS.sub(" ", page).split())


def field_tag(page: str, field_id: str) -> str:
    """The opening tag of the form control with this id (input, select or textarea)."""
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert match, f"no control with id {field_id!r}"
    return match.group(0)


def field_error(page: str, field_id: str) -> str:
    """The error message shown beside a field ('' when there is none)."""
    match = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return visible_text(match.group(1)) if match else ""


def user_row(sessions, address: str) -> User | None:
    """The stored user with this email, if any."""
    with unit_of_work(sessions) as session:
        return session.scalar(select(User).where(User.email == address))


ROLES = ("resident", "committee", "treasurer", "chair", "non_member", "unverified", "signed_out", "examiner")
MEMBER_ROLES = ("resident", "committee", "treasurer", "chair")


@dataclass
class World:
    """Two neighbourhoods; one person per role in the first (`own`), none of them in the second (`other`).

    `target` is a plain resident of each neighbourhood, for actions aimed at a member.
    """

    own: str
    other: str
    users: dict[str, int | None]
    target: dict[str, int]

    def slug(self, place: str) -> str:
        """The slug of 'own' or 'other'."""
        return self.own if place == "own" else self.other


def build_world(app, sessions) -> World:
    """Create the people and neighbourhoods of a permission matrix through the real services; the examiner
    is appointed for the first neighbourhood and is a member of neither."""
    chair = make_user(sessions, "chair@example.org", "Chair Own")
    other_chair = make_user(sessions, "other-chair@example.org", "Chair Other")
    own = make_neighbourhood(sessions, chair, "Elm Park", "SE15")
    other = make_neighbourhood(sessions, other_chair, "Oak Vale", "N4")
    users: dict[str, int | None] = {"chair": chair, "signed_out": None}
    for role in ("resident", "committee", "treasurer"):
        users[role] = make_user(sessions, f"{role}@example.org", role.title())
        add_member(sessions, own, users[role], *(() if role == "resident" else (role,)))
    users["non_member"] = make_user(sessions, "outsider@example.org", "Outsider")
    users["unverified"] = make_user(sessions, "unverified@example.org", "Unverified", verified=False)
    users["examiner"] = make_user(sessions, "examiner@example.org", "Examiner")
    with unit_of_work(sessions) as session:
        own_id = session.scalar(select(Neighbourhood.id).where(Neighbourhood.slug == own))
    appoint(app, chair, own_id, users["examiner"])
    # The resident of each place is the target of member-directed actions; the other chair stands in
    # for the other neighbourhood's resident, so nobody extra needs creating.
    return World(own=own, other=other, users=users, target={"own": users["resident"], "other": other_chair})
