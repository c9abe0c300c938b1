"""Helpers shared by several test files."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import func, select

from pledgebank.books.models import LedgerAccount
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, disputes, held, legs, rules, transfers
from pledgebank.neighbourhoods import funds as fund_services
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import (
    World,
    clock_now,
    world,
)


@contextmanager
def posting_as_before_fund_attribution(monkeypatch):
    """The real services, with the rules posting to the book-level accounts as they did before 0010."""
    with monkeypatch.context() as patch:
        for module in (rules, held, transfers, legs, disputes):
            patch.setattr(module, "held_in", lambda place, _fund: chart.held_in(place, None))
        yield


def balances(sessions) -> dict[str, int]:
    """Every account's balance that is not zero."""
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(LedgerAccount.code, LedgerAccount.balance).where(LedgerAccount.balance != 0)
        )
        return dict(rows.all())


def fund_totals(sessions) -> dict[str, int]:
    """Per fund, the sum of its own accounts' balances (zero when the fund balances on its own)."""
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(Fund.slug, func.sum(LedgerAccount.balance))
            .join(Fund, Fund.id == LedgerAccount.fund_id)
            .group_by(Fund.slug)
        )
        return {slug: int(total) for slug, total in rows}


def attribute(app, *args: str):
    """Run `pledgebank ledger attribute-legacy`."""
    return app.test_cli_runner().invoke(main, ["ledger", "attribute-legacy", *args])


TREES = "street-trees"


def add_trees(app, w: World) -> None:
    """A restricted fund, given for planting street trees and for grants towards it."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        fund_services.add_fund(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            name="Street trees",
            description="",
            now=clock_now(app),
            fund_type="restricted",
            purpose="Planting street trees on Victoria Road",
            may_fund_grants=True,
        )


def legacy_book(app, sessions, database_url, monkeypatch, arrange) -> World:
    """A neighbourhood with a street-trees fund where `arrange(app, w)` ran as before money was attributed
    to funds (migration 0010): the real services, with the rules posting to the book-level accounts."""
    w = world(sessions)
    add_trees(app, w)
    with posting_as_before_fund_attribution(monkeypatch):
        arrange(app, w)
    return w


def add_fund(app, w, name: str) -> None:
    """Add a fund as the chair, as any fund was added before funds had types."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        fund_services.add_fund(
            session,
            actor_id=w.chair,
            neighbourhood=get_neighbourhood(session, w.slug),
            name=name,
            description="",
            now=app.extensions["pledgebank.clock"].now(),
        )
