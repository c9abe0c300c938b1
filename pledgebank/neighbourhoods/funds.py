"""A neighbourhood's funds; each fund gets its own income and expense accounts in the book."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import Book
from pledgebank.books.services import book_of, open_fund_accounts
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.policy import Action, require

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def create_fund(
    session: Session,
    *,
    neighbourhood: Neighbourhood,
    book: Book,
    name: str,
    slug: str,
    description: str,
    is_general: bool,
    now: datetime,
) -> Fund:
    """Create a fund and its accounts (no permission check: callers have made it)."""
    fund = Fund(
        neighbourhood_id=neighbourhood.id,
        slug=slug,
        name=name,
        description=description,
        is_general=is_general,
        created_at=now,
    )
    session.add(fund)
    session.flush()  # the accounts refer to the fund's id
    open_fund_accounts(session, book=book, fund=fund)
    return fund


def add_fund(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    name: str,
    description: str,
    now: datetime,
) -> Fund:
    """Add a fund to a neighbourhood (committee or chair)."""
    require(session, actor_id, neighbourhood.id, Action.MANAGE_FUNDS)
    clean = " ".join((name or "").split())
    if not 3 <= len(clean) <= 80:
        raise InvalidInput.field("name", "Give the fund a name of 3 to 80 characters.")
    if len(description or "") > 1000:
        raise InvalidInput.field("description", "Use at most 1000 characters.")
    slug = _SLUG_CHARS.sub("-", clean.lower()).strip("-")[:40] or "fund"
    existing = session.scalar(
        select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug == slug)
    )
    if existing is not None:
        raise Conflict(
            "There is already a fund with that name.",
            fields={"name": ["There is already a fund with that name."]},
        )
    fund = create_fund(
        session,
        neighbourhood=neighbourhood,
        book=book_of(session, neighbourhood.id),
        name=clean,
        slug=slug,
        description=(description or "").strip(),
        is_general=False,
        now=now,
    )
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="fund.created",
        subject=("fund", fund.id),
        now=now,
        after={"name": clean, "slug": slug},
    )
    return fund


def list_funds(session: Session, *, neighbourhood_id: int) -> list[Fund]:
    """The neighbourhood's funds, general fund first."""
    return list(
        session.scalars(
            select(Fund)
            .where(Fund.neighbourhood_id == neighbourhood_id)
            .order_by(Fund.is_general.desc(), Fund.name)
        )
    )
