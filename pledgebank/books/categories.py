"""A neighbourhood's expense categories: what supplier payments are filed under, an account in every fund.

Every neighbourhood starts with six. The treasurer or chair adds more (each opens `expenses:<fund>:<slug>` in
every fund), renames one (the name only: the slug, and so the account code, stays) or retires one (no longer
offered; its accounts and what was posted to them stay in the books and exports).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import Book, LedgerAccount
from pledgebank.books.services import book_of, open_category_account
from pledgebank.books.treasurer_models import ExpenseCategory
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require

NAME_MIN, NAME_MAX = 2, 36
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def list_categories(session: Session, *, neighbourhood_id: int) -> list[ExpenseCategory]:
    """Every category of the neighbourhood, retired ones too, in the order they were added."""
    return list(
        session.scalars(
            select(ExpenseCategory)
            .where(ExpenseCategory.neighbourhood_id == neighbourhood_id)
            .order_by(ExpenseCategory.id)
        )
    )


def offered(session: Session, *, neighbourhood_id: int) -> list[ExpenseCategory]:
    """The categories a supplier payment may be filed under: those not retired."""
    return [c for c in list_categories(session, neighbourhood_id=neighbourhood_id) if not c.retired]


def category_problem(session: Session, *, neighbourhood_id: int, slug: str) -> str | None:
    """Why a supplier payment may not be filed under `slug`, or None when it may."""
    if not slug:
        return "Choose a category."
    found = _find(session, neighbourhood_id, slug)
    if found is None:
        return "Choose one of the categories offered."
    if found.retired:
        return f"“{found.name}” is retired: choose another category."
    return None


def ensure_category_account(session: Session, *, book: Book, fund: Fund, slug: str) -> None:
    """Open the fund's account for a category if it lacks one (a fund and a category added at once)."""
    code = chart.expense_account(fund.slug, slug)
    found = select(LedgerAccount.id).where(LedgerAccount.book_id == book.id, LedgerAccount.code == code)
    if session.scalar(found) is not None:
        return
    category = _find(session, book.neighbourhood_id, slug)
    open_category_account(session, book=book, fund=fund, slug=slug, name=category.name if category else slug)


def add_category(
    session: Session, *, actor_id: int, neighbourhood_id: int, name: str, now: datetime
) -> ExpenseCategory:
    """Add a category and open its expense account in every fund; raises InvalidInput naming `name`."""
    require(session, actor_id, neighbourhood_id, Action.MANAGE_EXPENSE_CATEGORIES)
    clean = _clean_name(name)
    slug = _slug_for(clean)
    existing = _find(session, neighbourhood_id, slug)
    if existing is not None:
        raise _taken(existing)
    _name_free(session, neighbourhood_id, clean, None)
    category = ExpenseCategory(
        neighbourhood_id=neighbourhood_id, slug=slug, name=clean, retired=False, created_at=now
    )
    try:
        with session.begin_nested():
            session.add(category)
            session.flush()  # the unique slug: one added at the same moment by someone else is named
    except IntegrityError:
        found = _find(session, neighbourhood_id, slug)
        if found is None:
            raise
        raise _taken(found) from None
    book = book_of(session, neighbourhood_id)
    for fund in session.scalars(select(Fund).where(Fund.neighbourhood_id == neighbourhood_id)):
        ensure_category_account(session, book=book, fund=fund, slug=slug)
    _audit(session, actor_id, category, now, "expense_category.added", None, {"slug": slug, "name": clean})
    return category


def rename_category(
    session: Session, *, actor_id: int, neighbourhood_id: int, slug: str, name: str, now: datetime
) -> ExpenseCategory:
    """Give a category a new name (its account code stays); its accounts in every fund are renamed too."""
    require(session, actor_id, neighbourhood_id, Action.MANAGE_EXPENSE_CATEGORIES)
    category = category_of(session, neighbourhood_id=neighbourhood_id, slug=slug)
    clean = _clean_name(name)
    if clean == category.name:
        return category
    _name_free(session, neighbourhood_id, clean, category.id)
    before = category.name
    category.name = clean
    funds = {f.id: f for f in session.scalars(select(Fund).where(Fund.neighbourhood_id == neighbourhood_id))}
    codes = [chart.expense_account(f.slug, slug) for f in funds.values()]
    accounts = select(LedgerAccount).where(LedgerAccount.fund_id.in_(funds), LedgerAccount.code.in_(codes))
    for account in session.scalars(accounts):
        assert account.fund_id is not None  # chosen by fund above
        fund = funds[account.fund_id]
        account.name = chart.category_account(fund.slug, fund.name, slug, clean).name
    _audit(session, actor_id, category, now, "expense_category.renamed", {"name": before}, {"name": clean})
    return category


def retire_category(
    session: Session, *, actor_id: int, neighbourhood_id: int, slug: str, now: datetime
) -> ExpenseCategory:
    """Stop offering a category; what was filed under it stays. Retiring the last one is refused."""
    require(session, actor_id, neighbourhood_id, Action.MANAGE_EXPENSE_CATEGORIES)
    category = category_of(session, neighbourhood_id=neighbourhood_id, slug=slug)
    if category.retired:
        return category
    if len(offered(session, neighbourhood_id=neighbourhood_id)) <= 1:
        raise Conflict("Keep at least one category for supplier payments.")
    category.retired = True
    _audit(session, actor_id, category, now, "expense_category.retired", None, {"retired": True})
    return category


def _clean_name(name: str) -> str:
    clean = " ".join((name or "").split())
    if _CONTROL.search(clean):
        raise InvalidInput.field("name", "Use letters, digits and ordinary punctuation only.")
    if not NAME_MIN <= len(clean) <= NAME_MAX:
        raise InvalidInput.field("name", f"Give a name of {NAME_MIN} to {NAME_MAX} characters.")
    return clean


def _slug_for(clean: str) -> str:
    slug = _NOT_SLUG.sub("-", clean.lower()).strip("-")[: chart.CATEGORY_SLUG_MAX_LENGTH].strip("-")
    if not slug:
        raise InvalidInput.field("name", "Use some letters or digits (a-z, 0-9) in the name.")
    if slug in chart.FIXED_EXPENSES:
        raise InvalidInput.field(
            "name", "That name is kept for the books' own accounts (grants, fees, bank charges)."
        )
    return slug


def _taken(existing: ExpenseCategory) -> InvalidInput:
    if existing.retired:
        message = f"“{existing.name}” is a retired category with that name: choose another name."
    else:
        message = f"There is already a category called “{existing.name}”."
    return InvalidInput.field("name", message)


def _name_free(session: Session, neighbourhood_id: int, clean: str, own_id: int | None) -> None:
    same = session.scalar(
        select(ExpenseCategory).where(
            ExpenseCategory.neighbourhood_id == neighbourhood_id,
            func.lower(ExpenseCategory.name) == clean.lower(),
            ExpenseCategory.id != (own_id or 0),
        )
    )
    if same is not None:
        raise _taken(same)


def _find(session: Session, neighbourhood_id: int, slug: str) -> ExpenseCategory | None:
    return session.scalar(
        select(ExpenseCategory).where(
            ExpenseCategory.neighbourhood_id == neighbourhood_id, ExpenseCategory.slug == slug
        )
    )


def category_of(session: Session, *, neighbourhood_id: int, slug: str) -> ExpenseCategory:
    """The neighbourhood's category with this slug, or NotFound."""
    category = _find(session, neighbourhood_id, slug)
    if category is None:
        raise NotFound("There is no such category.")
    return category


def _audit(
    session: Session,
    actor_id: int,
    category: ExpenseCategory,
    now: datetime,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=category.neighbourhood_id,
        action=action,
        subject=("expense_category", category.id),
        now=now,
        before=before,
        after=after,
    )
