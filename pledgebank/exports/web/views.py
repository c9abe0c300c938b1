"""Pages for treasurers: downloads of the books (streamed), statements, and the public fund chart."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from pledgebank.accounts.models import User
from pledgebank.books.services import book_of
from pledgebank.clock import local_date
from pledgebank.errors import DomainError
from pledgebank.exports import formats, receipts_payments, rp_table, statement_csv, statement_ods, statements
from pledgebank.exports.chart import ChartState, FlowChart, fund_flows
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.models import LedgerExport
from pledgebank.exports.reader import Filters
from pledgebank.exports.web.forms import ExportForm, TrialBalanceForm, YearForm
from pledgebank.neighbourhoods.funds import list_funds
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.policy import Action
from pledgebank.web.auth import current_user_id
from pledgebank.web.book_pages import book_context
from pledgebank.web.drawn import Drawn
from pledgebank.web.forms import show_errors
from pledgebank.web.i18n import locale_name
from pledgebank.web.session import db_session, now

bp = Blueprint("exports", __name__)


def _today():
    return local_date(now(), current_app.config["TIMEZONE"])


def _export_page(context: dict, form: ExportForm, status: int = 200):
    session = db_session()
    recent = session.execute(
        select(LedgerExport, User.display_name, Fund.slug)
        .outerjoin(User, User.id == LedgerExport.made_by_id)
        .outerjoin(Fund, Fund.id == LedgerExport.fund_id)
        .where(LedgerExport.book_id == context["book"].id)
        .order_by(LedgerExport.id.desc())
        .limit(20)
    ).all()
    return render_template("exports/index.html", **context, form=form, recent=recent), status


def _export_form(neighbourhood: Neighbourhood, formdata=None) -> ExportForm:
    form = ExportForm(formdata=formdata)
    funds = list_funds(db_session(), neighbourhood_id=neighbourhood.id)
    form.fund.choices = [
        SelectChoice("", _l("Every fund")),
        *(SelectChoice(fund.slug, fund.name) for fund in funds),
    ]
    return form


@bp.get("/n/<slug>/exports")
def index(slug: str):
    """Choose a format (and optionally a fund and dates) to download; the exports made so far."""
    context = book_context(slug, Action.EXPORT_LEDGER)
    form = _export_form(context["neighbourhood"])
    form.format.data = form.format.data or "csv"
    return _export_page(context, form)


@bp.post("/n/<slug>/exports/download")
def download(slug: str):
    """Stream the chosen export as a file; the export is recorded once it has been sent in full.

    A POST, because it writes that record: following a link or a prefetch must never make an export.
    """
    context = book_context(slug, Action.EXPORT_LEDGER)
    form = _export_form(context["neighbourhood"], request.form)
    if not form.validate():
        return _export_page(context, form, 422)
    session, book = db_session(), context["book"]
    filters = Filters(form.fund.data or None, form.date_from.data, form.date_to.data)
    wanted = ExportRequest(
        book,
        filters,
        now(),
        actor_id=current_user_id(),
        zone=current_app.config["TIMEZONE"],
        grants_prefix=current_app.config["GRANTS_360_PREFIX"],
        base_url=current_app.config["BASE_URL"],
    )
    try:
        export = formats.open_export(session, form.format.data, wanted)
    except DomainError as error:
        show_errors(form, error)
        return _export_page(context, form, 422)

    def body():
        yield from export.chunks
        session.commit()

    response = Response(stream_with_context(body()), content_type=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _csv_response(text: str, filename: str) -> Response:
    response = Response(text, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/n/<slug>/statements")
def statements_index(slug: str):
    """The statements: a trial balance at a date, and receipts and payments for a financial year."""
    context = book_context(slug, Action.VIEW_LEDGER)
    start = current_app.config["FINANCIAL_YEAR_START"]
    today = _today()
    balance_form, year_form = TrialBalanceForm(formdata=None), YearForm(formdata=None)
    balance_form.on.data, year_form.year.data = today, statements.year_of(today, start)
    return render_template(
        "exports/statements.html", **context, balance_form=balance_form, year_form=year_form
    )


@bp.get("/n/<slug>/statements/trial-balance")
def trial_balance(slug: str):
    """Every account's balance at the end of a day (today when none is given), as a page or (with ?as=csv)
    a CSV file."""
    context = book_context(slug, Action.VIEW_LEDGER)
    args = request.args.copy()
    args.setdefault("on", _today().isoformat())
    form = TrialBalanceForm(formdata=args)
    if not form.validate():
        year_form = YearForm(formdata=None)
        return render_template(
            "exports/statements.html", **context, balance_form=form, year_form=year_form
        ), 422
    statement = statements.trial_balance(db_session(), context["book"], form.on.data)
    if request.args.get("as") == "csv":
        rows = statement_csv.trial_balance_rows(statement)
        filename = f"{context['book'].slug}-trial-balance-{statement.on.isoformat()}.csv"
        return _csv_response(statement_csv.as_csv(rows), filename)
    return render_template("exports/trial_balance.html", **context, statement=statement)


@bp.get("/n/<slug>/statements/receipts-and-payments")
def receipts_and_payments(slug: str):
    """The receipts-and-payments account of a financial year (this one when none is given): a page, or
    (?as=csv or ?as=ods) a download."""
    context = book_context(slug, Action.VIEW_LEDGER)
    args = request.args.copy()
    args.setdefault("year", str(statements.year_of(_today(), current_app.config["FINANCIAL_YEAR_START"])))
    form = YearForm(formdata=args)
    if not form.validate():
        balance_form = TrialBalanceForm(formdata=None)
        return render_template(
            "exports/statements.html", **context, balance_form=balance_form, year_form=form
        ), 422
    start, end = statements.year_starting(form.year.data, current_app.config["FINANCIAL_YEAR_START"])
    statement = receipts_payments.receipts_and_payments(db_session(), context["book"], start=start, end=end)
    filename = f"{context['book'].slug}-receipts-and-payments-{start.isoformat()}"
    if request.args.get("as") == "csv":
        rows = statement_csv.receipts_and_payments_rows(statement)
        return _csv_response(statement_csv.as_csv(rows), f"{filename}.csv")
    if request.args.get("as") == "ods":
        body = statement_ods.receipts_and_payments_ods(
            statement, _("%(start)s to %(end)s", start=start.year, end=end.year)
        )
        response = Response(body, mimetype=statement_ods.MEDIA_TYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}.ods"'
        return response
    return render_template(
        "exports/receipts_and_payments.html", **context, statement=statement, rows=rp_table.table(statement)
    )


@bp.app_template_global("fund_flow_chart_html")
def fund_flow_chart_html(neighbourhood: Neighbourhood, state: ChartState) -> Markup:
    """The public chart, drawn once for each state of the book, day and funds, then kept (web/drawn.py)."""
    # The drawing holds words and dates, so each language has its own.
    key = ("fund-flow-chart", neighbourhood.name, state, _today(), locale_name())
    return Drawn.of(current_app).get(key, lambda: _drawn_chart(neighbourhood))


def _drawn_chart(neighbourhood: Neighbourhood) -> Markup:
    html = render_template("exports/_fund_chart.html", neighbourhood=neighbourhood)
    return Markup(html)  # noqa: S704 (a template's output, escaped as it was rendered)


@bp.app_template_global("fund_flow_chart")
def fund_flow_chart(neighbourhood: Neighbourhood) -> FlowChart:
    """The public chart of money in and out per month per fund (for the neighbourhood's page)."""
    session = db_session()
    return fund_flows(session, book_of(session, neighbourhood.id), today=_today())
