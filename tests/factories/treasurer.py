"""Helpers for treasurer-entry tests: recording through the real service, a restricted fund, balances."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from pledgebank.books import treasurer
from pledgebank.books.closing import close_year
from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.books.treasurer_checks import EntryTerms
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.funds import create_fund
from pledgebank.neighbourhoods.models import FundType
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import THRESHOLD, clock_now


def today(app):
    """The app clock's date (the tests' zone is the book's)."""
    return clock_now(app).date()


def terms(app, kind: str, **values) -> EntryTerms:
    """Terms of an entry dated today with a description, in the general fund unless told."""
    values.setdefault("on", today(app))
    values.setdefault("description", "Recorded in a test")
    values.setdefault("fund", "general")
    return EntryTerms(kind=kind, **values)


def record(
    app, actor: int, slug: str, entry_terms: EntryTerms, *, key: str | None = None, threshold=THRESHOLD
):
    """Record an entry; return (id, status, the ledger transaction's legs or None)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        neighbourhood = get_neighbourhood(session, slug)
        entry = treasurer.record_entry(
            session,
            actor_id=actor,
            neighbourhood_id=neighbourhood.id,
            terms=entry_terms,
            form_key=key or secrets.token_urlsafe(16),
            threshold=threshold,
            now=clock_now(app),
            today=today(app),
        )
        return entry.id, entry.status, legs_of(session, entry.transaction_id)


def approve(app, actor: int, entry_id: int):
    """A second member approves a waiting payment; return its status and legs."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        entry = treasurer.approve_entry(session, actor_id=actor, entry_id=entry_id, now=clock_now(app))
        return entry.status, legs_of(session, entry.transaction_id)


def legs_of(session, transaction_id: int | None):
    """A transaction's postings as (account code, amount) pairs."""
    if transaction_id is None:
        return None
    rows = session.execute(
        select(LedgerAccount.code, LedgerPosting.amount)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerPosting.transaction_id == transaction_id)
        .order_by(LedgerPosting.line)
    )
    return [(code, amount) for code, amount in rows]


def restricted_fund(
    app, slug: str, purpose: str = "Plant twenty street trees", fund_type: FundType = FundType.RESTRICTED
) -> None:
    """Add a restricted fund (or another type) called Trees to the neighbourhood."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        neighbourhood = get_neighbourhood(session, slug)
        create_fund(
            session,
            neighbourhood=neighbourhood,
            book=book_of(session, neighbourhood.id),
            name="Trees",
            slug="trees",
            description="",
            is_general=False,
            now=clock_now(app),
            fund_type=fund_type,
            purpose=purpose if fund_type == FundType.RESTRICTED else "",
        )


def transaction_count(app) -> int:
    """How many transactions the books hold."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return len(session.scalars(select(LedgerTransaction.id)).all())


def close_year_before_today(app, w, days: int = 30) -> date:
    """The chair closes the books through a day `days` before today; return that day."""
    through = today(app) - timedelta(days=days)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, w.slug).id)
        close_year(
            session, actor_id=w.chair, book=book, through=through, now=clock_now(app), today=today(app)
        )
    return through
