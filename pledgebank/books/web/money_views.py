"""The open books, for anyone signed in or not: every transaction in words, per fund and month, and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from pledgebank.books import public_money, queries
from pledgebank.books.describe import describe, item_of
from pledgebank.books.gift_aid_totals import gift_aid_totals
from pledgebank.books.models import ChainHead, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.public_money import Filter, PublicLine
from pledgebank.books.services import book_of
from pledgebank.books.web.forms import MoneyFilterForm
from pledgebank.exports.csv_format import cell
from pledgebank.exports.naming import major
from pledgebank.inputs import parse_page
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.text import _t
from pledgebank.web.forms import allowed_actions
from pledgebank.web.i18n import locale_name
from pledgebank.web.links import link_url
from pledgebank.web.session import db_session

bp = Blueprint("money", __name__)

# The CSV's headings, written in the page's language (`str()` translates them).
CSV_COLUMNS: tuple[str, ...] = (
    _t("date"),
    _t("transactions"),
    _t("fund"),
    _t("description"),
    _t("money_in"),
    _t("money_out"),
    _t("moved"),
    _t("card_fees"),
    _t("currency"),
    _t("link"),
)


def _place(slug: str, fund_slug: str | None = None):
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    fund = None
    if fund_slug is not None:
        fund = session.scalar(
            select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug == fund_slug)
        )
        if fund is None:
            abort(404)
    return neighbourhood, book_of(session, neighbourhood.id), fund


def _form(neighbourhood, fund: Fund | None) -> MoneyFilterForm:
    form = MoneyFilterForm(formdata=request.args if request.args.get("month") is not None else None)
    form.fund.choices = [
        SelectChoice("", _("Every fund")),
        *(SelectChoice(f.slug, f.name) for f in neighbourhood.funds),
    ]
    form.fund.data = fund.slug if fund else ""
    return form


@bp.get("/n/<slug>/money")
def page(slug: str):
    """The open books of a neighbourhood: every fund's money and every transaction in words."""
    chosen = request.args.get("fund")
    if chosen:  # the filter form names the fund; its own page has the address to share
        # Names starting "_" are url_for's own options (scheme, anchor, method), never filters: drop them.
        args: dict[str, Any] = {
            k: v for k, v in request.args.items() if k not in ("fund", "before") and not k.startswith("_")
        }
        return redirect(url_for("money.fund_page", slug=slug, fund=chosen, **args))
    return _render(slug, None)


@bp.get("/n/<slug>/money/<fund>")
def fund_page(slug: str, fund: str):
    """The open books of one fund."""
    return _render(slug, fund)


def _render(slug: str, fund_slug: str | None):
    session = db_session()
    neighbourhood, book, fund = _place(slug, fund_slug)
    form = _form(neighbourhood, fund)
    before = request.args.get("before")
    if before is not None and parse_page(before) is None:
        abort(404)
    status, older = 200, None
    lines: list[public_money.PublicLine] = []
    if form.month.data is not None and not form.validate():
        status = 422
    else:
        chosen = Filter(fund, form.first_day if form.month.data else None)
        lines, older = public_money.public_lines(
            session,
            book,
            chosen,
            before=int(before) if before else None,
            per_page=current_app.config.get("MONEY_PAGE_SIZE", public_money.PER_PAGE),
            locale=locale_name(),
        )
    balances = queries.fund_balances(session, book)
    if fund is not None:
        balances = [b for b in balances if b.slug == fund.slug]
    head = session.execute(
        select(ChainHead.sequence, ChainHead.hash).where(ChainHead.book_id == book.id)
    ).one()
    return render_template(
        "books/money.html",
        gift_aid=gift_aid_totals(session, book) if fund is None else None,
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        book=book,
        fund=fund,
        form=form,
        lines=lines,
        older=older,
        balances=balances,
        head_sequence=head.sequence,
        head_hash=bytes(head.hash).hex(),
    ), status


@bp.get("/n/<slug>/money.csv")
def download(slug: str):
    """The open books as CSV, for a fund and a month if chosen; no cell starts a spreadsheet formula."""
    session = db_session()
    neighbourhood, book, _ = _place(slug)
    fund = None
    if request.args.get("fund"):
        _, _, fund = _place(slug, request.args["fund"])
    form = _form(neighbourhood, fund)
    if form.month.data is not None and not form.validate():
        return render_template(
            "books/money.html",
            neighbourhood=neighbourhood,
            allowed=allowed_actions(neighbourhood.id),
            book=book,
            fund=fund,
            form=form,
            lines=[],
            older=None,
            balances=[],
            head_sequence=None,
            head_hash="",
        ), 422
    chosen = Filter(fund, form.first_day if form.month.data else None)
    base = request.host_url.rstrip("/")

    # Written whole before the response starts: a slow download must not hold the database (SQLite's
    # transactions take its write lock) for as long as a visitor's connection lasts.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(heading) for heading in CSV_COLUMNS])
    writer.writerows(
        _csv_row(line, slug, base)
        for line in public_money.all_public_lines(session, book, chosen, locale=locale_name())
    )
    name = (
        f"{slug}{'-' + fund.slug if fund else ''}{'-' + form.month.data if form.month.data else ''}-money.csv"
    )
    response = Response(out.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_row(line: PublicLine, slug: str, base: str) -> list[str]:
    """One line as CSV cells: amounts never negative (in or out), text that can never start a formula, in
    the page's language (`str()` translates the words while the request is going on)."""
    return [
        line.effective_date.isoformat(),
        " ".join(f"#{n}" for n in line.sequences),
        cell(str(line.fund_name)),
        cell(str(line.text)),
        major(line.change, line.currency) if line.change > 0 else "",
        major(-line.change, line.currency) if line.change < 0 else "",
        major(line.moved, line.currency) if not line.change and line.moved else "",
        major(line.fees, line.currency) if line.fees > 0 else "",
        line.currency,
        base + link_url(line.link, slug, line.sequences[0]),
    ]


@bp.get("/n/<slug>/money/t/<int:sequence>")
def transaction(slug: str, sequence: int):
    """One transaction of the open books: in words, its postings, and the hashes that chain it."""
    session = db_session()
    neighbourhood, book, _ = _place(slug)
    row = session.scalar(
        select(LedgerTransaction).where(
            LedgerTransaction.book_id == book.id, LedgerTransaction.sequence == sequence
        )
    )
    if row is None:
        abort(404)
    reverses = (
        session.scalar(select(LedgerTransaction.sequence).where(LedgerTransaction.id == row.reverses_id))
        if row.reverses_id
        else None
    )
    described = describe(session, book, [item_of(row, reverses)], locale_name())[row.sequence]
    postings = session.execute(
        select(LedgerAccount.name, LedgerPosting.amount, LedgerPosting.currency)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerPosting.transaction_id == row.id)
        .order_by(LedgerPosting.line)
    ).all()
    lines = public_money.transaction_lines(session, book, sequence, locale_name())
    return render_template(
        "books/money_transaction.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        book=book,
        row=row,
        described=described,
        reverses=reverses,
        postings=postings,
        lines=lines,
        hash=bytes(row.hash).hex(),
        prev_hash=bytes(row.prev_hash).hex(),
    )
