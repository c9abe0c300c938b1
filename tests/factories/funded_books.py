"""A fresh neighbourhood with funds beside its general one, for the ledger's model tests."""

from __future__ import annotations

from pledgebank.books.services import book_by_slug
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods import funds as fund_services
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.helpers.app import WHEN, make_neighbourhood


def book_with_funds(sessions, actor: int, name: str, funds: tuple[tuple[str, str, str], ...]) -> int:
    """The book's id of a new neighbourhood called `name` with the funds (name, type, purpose) added by
    `actor`."""
    slug = make_neighbourhood(sessions, actor, name=name)
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, slug)
        for fund_name, kind, purpose in funds:
            fund_services.add_fund(
                session,
                actor_id=actor,
                neighbourhood=place,
                name=fund_name,
                description="",
                now=WHEN,
                fund_type=kind,
                purpose=purpose,
            )
        return book_by_slug(session, slug).id
