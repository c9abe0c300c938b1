"""The read-only ledger pages for a neighbourhood's officers."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from pledgebank.books import queries
from pledgebank.books.services import book_of
from pledgebank.books.verify import check_book
from pledgebank.inputs import parse_page
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session

bp = Blueprint("books", __name__)

PER_PAGE = 50


def _context(slug: str) -> dict:
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    allowed = allowed_actions(neighbourhood.id)
    return {"neighbourhood": neighbourhood, "book": book_of(session, neighbourhood.id), "allowed": allowed}


@bp.get("/n/<slug>/ledger")
def ledger(slug: str):
    """Balances per fund and account, and the transactions with their postings, newest first."""
    context = _context(slug)
    session, book = db_session(), context["book"]
    page = parse_page(request.args.get("page"))
    if page is None:
        abort(404)
    transactions, total = queries.transactions_page(session, book, page=page, per_page=PER_PAGE)
    return render_template(
        "books/ledger.html",
        **context,
        transactions=transactions,
        total=total,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        accounts=queries.account_balances(session, book),
        funds=queries.fund_balances(session, book),
    )


@bp.get("/n/<slug>/ledger/check")
def check(slug: str):
    """Recompute the book's sums, balances and hash chain, and say whether it is intact."""
    context = _context(slug)
    return render_template("books/check.html", **context, result=check_book(db_session(), context["book"]))
