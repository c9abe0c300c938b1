"""The ledger pages for a neighbourhood's officers, and closing a financial year (chair or treasurer)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.books import queries, treasurer
from pledgebank.books.closing import close_year as close_books
from pledgebank.books.closing import closed_periods, preview_close
from pledgebank.books.services import book_of
from pledgebank.books.verify import check_book
from pledgebank.books.web.forms import CloseYearChoiceForm, CloseYearForm
from pledgebank.clock import local_date
from pledgebank.documents.storage import app_store
from pledgebank.inputs import parse_id, parse_page
from pledgebank.policy import Action
from pledgebank.web.auth import current_user_id
from pledgebank.web.book_pages import book_context
from pledgebank.web.filters import day
from pledgebank.web.i18n import locale_name
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import submit

bp = Blueprint("books", __name__)

PER_PAGE = 50


@bp.get("/n/<slug>/ledger")
def ledger(slug: str):
    """Balances per fund and account, and the transactions with their postings, newest first.

    Paged by sequence (?before=N shows the transactions older than #N), so a page deep in a long ledger
    costs what the first does and stays put while new transactions are posted; ?page=N still works.
    """
    context = book_context(slug)
    session, book = db_session(), context["book"]
    total = queries.transaction_count(session, book)
    before = _before(total)
    transactions = queries.transactions_before(
        session, book, before=before, per_page=PER_PAGE, locale=locale_name()
    )
    newer = None
    if before is not None and before <= total:
        newer = before + PER_PAGE if before + PER_PAGE <= total else 0  # 0: the newest page
    oldest = transactions[-1].sequence if transactions else None
    return render_template(
        "books/ledger.html",
        **context,
        transactions=transactions,
        total=total,
        newer=newer,
        older=oldest if oldest is not None and oldest > 1 else None,
        accounts=queries.account_balances(session, book),
        funds=queries.fund_balances(session, book),
        waiting=len(treasurer.waiting(session, book)),
    )


def _before(total: int) -> int | None:
    """The sequence the page starts below, from ?before= (or an old ?page= link); None for the newest."""
    if "before" in request.args:
        before = parse_id(request.args["before"])
        if before is None:
            abort(404)
        return before
    page = parse_page(request.args.get("page"))
    if page is None:
        abort(404)
    return None if page == 1 else max(total + 1 - (page - 1) * PER_PAGE, 1)


@bp.get("/n/<slug>/ledger/check")
def check(slug: str):
    """Recompute the book's sums, balances and hash chain, and say whether it is intact."""
    context = book_context(slug)
    result = check_book(db_session(), context["book"], app_store(current_app))
    return render_template("books/check.html", **context, result=result)


def _today() -> date:
    return local_date(now(), current_app.config["TIMEZONE"])


def last_year_end(today: date, start: str) -> date:
    """The last day of the latest financial year (starting each year on `start`, MM-DD) ended before today."""
    month, day = (int(part) for part in start.split("-"))
    this_start = date(today.year, month, day)
    if this_start > today:
        this_start = date(today.year - 1, month, day)
    return this_start - timedelta(days=1)


def _close_page(context: dict, choice: CloseYearChoiceForm, form: CloseYearForm, status: int = 200):
    session, book = db_session(), context["book"]
    through = form.through.data or choice.through.data
    preview = preview_close(session, book=book, through=through) if through else None
    page = render_template(
        "books/close_year.html",
        **context,
        choice=choice,
        form=form,
        preview=preview,
        closed=closed_periods(session, book),
    )
    return page, status


@bp.get("/n/<slug>/ledger/close-year")
@login_required
def close_year(slug: str):
    """What closing the books through a date would move into each fund's balance, and the button to do it."""
    context = book_context(slug, Action.CLOSE_YEAR)
    choice = CloseYearChoiceForm(formdata=request.args if "through" in request.args else None)
    if "through" in request.args:
        choice.validate()
    else:
        choice.through.data = last_year_end(_today(), current_app.config["FINANCIAL_YEAR_START"])
    form = CloseYearForm(formdata=None, through=choice.through.data if not choice.errors else None)
    return _close_page(context, choice, form, 422 if choice.errors else 200)


@bp.post("/n/<slug>/ledger/close-year")
@login_required
def close_year_confirmed(slug: str):
    """Close the books through the confirmed date: the closing transaction, then the lock."""
    context = book_context(slug, Action.CLOSE_YEAR)
    form = CloseYearForm()

    def work(session):
        close_books(
            session,
            actor_id=current_user_id(),
            book=book_of(session, context["neighbourhood"].id),
            through=form.through.data,
            now=now(),
            today=_today(),
        )

    def page(status: int):
        # The refusal is shown beside the date field the officer chose the date with.
        choice = CloseYearChoiceForm(formdata=None, through=form.through.data)
        choice.through.errors, form.through.errors = list(form.through.errors), []
        return _close_page(context, choice, form, status)

    def done(_closed):
        flash(_("The books are closed through %(day)s.", day=day(form.through.data)), "success")
        return redirect(url_for("exports.statements_index", slug=slug))

    return submit(form, work, done=done, page=page)
