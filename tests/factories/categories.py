"""Helpers for expense-category tests: the real services, each in its own unit of work."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books import categories
from pledgebank.books.models import LedgerAccount
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import clock_now


def add(app, actor: int, slug: str, name: str) -> str:
    """Add a category; return its slug."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = get_neighbourhood(session, slug)
        return categories.add_category(
            session, actor_id=actor, neighbourhood_id=found.id, name=name, now=clock_now(app)
        ).slug


def rename(app, actor: int, slug: str, category: str, name: str) -> None:
    """Rename a category."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = get_neighbourhood(session, slug)
        categories.rename_category(
            session, actor_id=actor, neighbourhood_id=found.id, slug=category, name=name, now=clock_now(app)
        )


def retire(app, actor: int, slug: str, category: str) -> None:
    """Retire a category."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = get_neighbourhood(session, slug)
        categories.retire_category(
            session, actor_id=actor, neighbourhood_id=found.id, slug=category, now=clock_now(app)
        )


def listed(app, slug: str) -> list[tuple[str, str, bool]]:
    """(slug, name, retired) of every category, in the order added."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = get_neighbourhood(session, slug)
        return [
            (c.slug, c.name, c.retired)
            for c in categories.list_categories(session, neighbourhood_id=found.id)
        ]


def accounts_ending(app, suffix: str) -> dict[str, str]:
    """Code -> name of every account whose code ends with `:<suffix>`."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.execute(select(LedgerAccount.code, LedgerAccount.name))
        return {code: name for code, name in rows if code.endswith(f":{suffix}")}
