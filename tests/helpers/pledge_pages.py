"""Arrangements for the pledge pages' tests: people with roles, signed-in clients, and reading pages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.roles import grant_role
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.models import Pledge, PledgeSignup
from tests.factories.pledges import make_pledge
from tests.helpers.app import WHEN, add_member, make_neighbourhood, make_user
from tests.helpers.foundation import field_error, signed_in_client, visible_text

__all__ = ["People", "make_pledge", "people", "signup_of", "text_of", "visible_text"]


@dataclass
class People:
    """A neighbourhood and its people by name: the chair (also treasurer) and residents."""

    slug: str
    ids: dict[str, int]

    def client(self, app, sessions, who: str):
        """A browser-like client signed in as this person."""
        return signed_in_client(app, sessions, self.ids[who])

    def email(self, who: str) -> str:
        """This person's email address."""
        return f"{who}@example.org"


def people(sessions, *residents: str) -> People:
    """Create the neighbourhood, its chair (given the treasurer role too) and the named residents."""
    ids = {"chair": make_user(sessions, "chair@example.org", "Chair Person")}
    slug = make_neighbourhood(sessions, ids["chair"])
    with unit_of_work(sessions) as session:
        grant_role(
            session,
            actor_id=ids["chair"],
            neighbourhood=get_neighbourhood(session, slug),
            user_id=ids["chair"],
            role="treasurer",
            now=WHEN,
        )
    for who in residents:
        ids[who] = make_user(sessions, f"{who}@example.org", who.title())
        add_member(sessions, slug, ids[who])
    return People(slug, ids)


def text_of(response) -> str:
    """The response's page as visible text, whitespace collapsed, entities decoded."""
    return html.unescape(visible_text(response.get_data(as_text=True)))


def error_beside(page: str, field_id: str) -> str:
    """The error message shown beside a field, entities decoded ('' when there is none)."""
    return html.unescape(field_error(page, field_id))


def signup_of(sessions, pledge_id: int, user_id: int) -> PledgeSignup | None:
    """The stored signup of a user for a pledge."""
    with unit_of_work(sessions) as session:
        return session.query(PledgeSignup).filter_by(pledge_id=pledge_id, user_id=user_id).one_or_none()


def pledge_row(sessions, pledge_id: int) -> Pledge:
    """The stored pledge."""
    with unit_of_work(sessions) as session:
        return session.get(Pledge, pledge_id)


def set_neighbourhood(sessions, slug: str, **settings) -> None:
    """Change a neighbourhood's pledge settings directly (there is no settings page yet)."""
    with unit_of_work(sessions) as session:
        neighbourhood = get_neighbourhood(session, slug)
        for name, value in settings.items():
            setattr(neighbourhood, name, value)


def progress_text(page: str) -> str:
    """The progress bar's aria-valuetext."""
    match = re.search(r'role="progressbar"[^>]*aria-valuetext="([^"]*)"', page)
    assert match, "no progress bar"
    return match.group(1)
