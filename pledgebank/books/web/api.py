"""API: a neighbourhood's ledger, for its committee, treasurer and chair."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from sqlalchemy import select

from pledgebank.api.auth import api_user_id
from pledgebank.books import queries
from pledgebank.books.models import Book, ChainHead
from pledgebank.books.services import book_of
from pledgebank.books.web.schemas import BalancesSchema, PageArgsSchema, TransactionPageSchema
from pledgebank.ledger.canonical import to_hex
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.session import db_session

blp = Blueprint(
    "ledger_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods/<slug>/ledger",
    description="A neighbourhood's ledger (committee, treasurer and chair)",
)


def _book(slug: str) -> Book:
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, api_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    return book_of(session, neighbourhood.id)


@blp.get("/transactions")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, TransactionPageSchema)
@blp.doc(security=[{"bearerAuth": []}])
def transactions(args: dict[str, Any], slug: str):
    """Sealed transactions with their postings, newest first, a page at a time."""
    book = _book(slug)
    items, total = queries.transactions_page(db_session(), book, page=args["page"], per_page=args["per_page"])
    return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}


@blp.get("/balances")
@blp.response(200, BalancesSchema)
@blp.doc(security=[{"bearerAuth": []}])
def balances(slug: str):
    """Balances per account and per fund."""
    book = _book(slug)
    session = db_session()
    head = session.execute(
        select(ChainHead.sequence, ChainHead.hash).where(ChainHead.book_id == book.id)
    ).one()
    return {
        "currency": book.currency,
        "head_sequence": head.sequence,
        "head_hash": to_hex(bytes(head.hash)),
        "accounts": queries.account_balances(session, book),
        "funds": queries.fund_balances(session, book),
    }
