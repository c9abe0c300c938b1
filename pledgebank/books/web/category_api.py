"""API: a neighbourhood's expense categories (read by officers; kept by the treasurer or chair)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.books import categories
from pledgebank.books.web.schemas import (
    ExpenseCategoryChangeSchema,
    ExpenseCategoryCreateSchema,
    ExpenseCategorySchema,
)
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.session import db_session, now, transaction

blp = Blueprint(
    "expense_categories_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods/<slug>/expense-categories",
    description="Expense categories: what supplier payments are filed under",
)


@blp.get("")
@blp.response(200, ExpenseCategorySchema(many=True))
@blp.doc(security=[{"bearerAuth": []}])
def index(slug: str):
    """Every category, retired ones too, in the order they were added."""
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, api_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    return categories.list_categories(session, neighbourhood_id=neighbourhood.id)


@blp.post("")
@blp.arguments(ExpenseCategoryCreateSchema)
@blp.response(201, ExpenseCategorySchema)
@blp.doc(security=[{"bearerAuth": []}])
def create(data: dict[str, Any], slug: str):
    """Add a category; it opens an expense account in every fund."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        return categories.add_category(
            session,
            actor_id=user_id,
            neighbourhood_id=get_neighbourhood(session, slug).id,
            name=data["name"],
            now=now(),
        )


@blp.patch("/<category>")
@blp.arguments(ExpenseCategoryChangeSchema)
@blp.response(200, ExpenseCategorySchema)
@blp.doc(security=[{"bearerAuth": []}])
def change(data: dict[str, Any], slug: str, category: str):
    """Rename a category (its slug stays), retire it, or both."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        neighbourhood_id, when = get_neighbourhood(session, slug).id, now()
        found = None
        if "name" in data:
            found = categories.rename_category(
                session,
                actor_id=user_id,
                neighbourhood_id=neighbourhood_id,
                slug=category,
                now=when,
                name=data["name"],
            )
        if data.get("retired"):
            found = categories.retire_category(
                session, actor_id=user_id, neighbourhood_id=neighbourhood_id, slug=category, now=when
            )
        if found is None:
            found = categories.category_of(session, neighbourhood_id=neighbourhood_id, slug=category)
        return found
