"""Helpers for the signers, comments and alerts tests: a neighbourhood with named residents and a pledge."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from pledgebank.db import unit_of_work
from tests.factories.pledges import make_pledge, neighbourhood_with, quick_user
from tests.helpers.app import add_member
from tests.helpers.foundation import visible_text

NAMES = ("Priya Shah", "Tom Okafor", "Lena Park")


def place_with_pledge(app, sessions) -> dict:
    """Elm Park (SE15): a chair who is also the pledge's creator, three named residents, an open pledge."""
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = {}
    for n, name in enumerate(NAMES):
        address = f"person{n}@example.org"
        people[name] = (quick_user(sessions, address, name), address)
        add_member(sessions, slug, people[name][0])
    return {"slug": slug, "chair": chair, "people": people, "pledge": make_pledge(app, slug, chair)}


def text_of(response) -> str:
    """A response's visible text."""
    return visible_text(response.get_data(as_text=True))


def headers_of_last(app, address: str) -> email.message.EmailMessage:
    """The newest email to an address, as a parsed message with its headers."""
    folder = Path(app.config["MAIL_OUTBOX"])
    for path in sorted(folder.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if str(message["To"]) == address:
            return message
    raise AssertionError(f"no email to {address}")


def in_session(sessions, work):
    """Run work(session) in one committed unit of work and return its result."""
    with unit_of_work(sessions) as session:
        return work(session)
