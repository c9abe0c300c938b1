"""The bank statements page: upload a statement, settle its lines (confirm a suggested match, or record a
line the books lack), see the statements and the date the bank was last reconciled. The treasurer and the
chair change them; the committee and an appointed examiner read them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from pledgebank.books.services import book_of
from pledgebank.errors import DomainError, InvalidInput
from pledgebank.inputs import parse_id
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.statements import imports, matching, queries
from pledgebank.statements.csv_parser import Layout
from pledgebank.statements.parsed import MAX_BYTES
from pledgebank.statements.reconciling import last_reconciliation
from pledgebank.statements.web.blueprint import bp
from pledgebank.statements.web.forms import MatchForm, PostLineForm, UploadForm
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions, refused
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit


def context(slug: str, action: Action = Action.VIEW_BANK) -> dict:
    """The neighbourhood and its book, for whoever may take the action (reading, unless told); anyone else is
    refused."""
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, action)
    return {
        "neighbourhood": neighbourhood,
        "book": book_of(session, neighbourhood.id),
        "allowed": allowed_actions(neighbourhood.id),
    }


def _funds(context: dict) -> list[SelectChoice]:
    funds = db_session().scalars(
        select(Fund).where(Fund.neighbourhood_id == context["neighbourhood"].id).order_by(Fund.id)
    )
    return [SelectChoice(fund.slug, fund.name) for fund in funds]


def _line_form(context: dict, open_line: queries.OpenLine, **kwargs) -> PostLineForm:
    form = PostLineForm(prefix=f"line{open_line.line.id}", **kwargs)
    form.fund.choices = _funds(context)
    if kwargs.get("formdata", "sent") is None:
        form.kind.data = open_line.rule.kind if open_line.rule else _kind_for(open_line.line.amount)
        form.fund.data = open_line.rule_fund or "general"
    return form


def _kind_for(amount: int) -> str:
    return "bank_charges" if amount < 0 else "donation_received"


def _upload_form(context: dict, bank: str | None = None, **kwargs) -> UploadForm:
    form = UploadForm(**kwargs)
    if kwargs.get("formdata", "sent") is None:
        saved = queries.mapping_for(db_session(), context["book"].id, bank)
        if saved is not None:
            form.bank.data = saved.bank
            for name in Layout.__dataclass_fields__:
                getattr(form, name).data = getattr(saved, name)
    return form


def page(context: dict, status: int = 200, *, upload: UploadForm | None = None, failed=None):
    """The page, with the upload form and each open line's forms (the one that failed, with its errors)."""
    session, book = db_session(), context["book"]
    lines = queries.open_lines(session, book.id)
    failed_id, failed_form = failed or (None, None)
    forms = {
        item.line.id: failed_form if item.line.id == failed_id else _line_form(context, item, formdata=None)
        for item in lines
    }
    return render_template(
        "statements/index.html",
        **context,
        upload=upload or _upload_form(context, request.args.get("bank"), formdata=None),
        lines=lines,
        forms=forms,
        match_form=MatchForm(formdata=None),
        settled=queries.settled_lines(session, book.id),
        statements=queries.statements(session, book.id),
        mappings=queries.mappings(session, book.id),
        last=last_reconciliation(session, book.id, now().date()),
        max_bytes=MAX_BYTES,
    ), status


@bp.get("/n/<slug>/bank")
@login_required
def index(slug: str):
    """Upload statements and settle their lines."""
    return page(context(slug))


@bp.post("/n/<slug>/bank/upload")
@login_required
def upload(slug: str):
    """Store a statement's new lines, or say beside the file (or the mapping) what is wrong with it."""
    found = context(slug, Action.RECONCILE_BANK)
    form = _upload_form(found)
    sent = request.files.get(form.file.name)
    data = sent.read(MAX_BYTES + 1) if sent else b""
    if form.validate() and not data:
        form.file.errors = ["Choose a statement file to upload."]
    if form.errors or form.file.errors:
        return page(found, 422, upload=form)

    def work(session):
        layout = form.layout() if imports.sniff(data) == "csv" else None
        return imports.upload(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood_id=found["neighbourhood"].id,
            filename=sent.filename if sent else "",
            data=data,
            now=now(),
            bank=form.bank.data or "",
            layout=layout,
        ).statement

    def done(statement):
        flash(
            _(
                "Read %(read)s lines from %(filename)s: %(added)s new.",
                read=statement.lines_read,
                filename=statement.filename,
                added=statement.lines_added,
            ),
            "success",
        )
        return redirect(url_for("statements.index", slug=slug))

    return submit(form, work, done=done, page=lambda status: page(found, status, upload=form))


@bp.post("/n/<slug>/bank/lines/<int:line_id>/match")
@login_required
def match(slug: str, line_id: int):
    """Confirm that a line is a posting already in the books."""
    found = context(slug, Action.RECONCILE_BANK)
    form = MatchForm()

    def work(session):
        transaction_id = parse_id(form.transaction.data)
        if transaction_id is None:
            raise InvalidInput.field("transaction", "Choose the transaction to match.")
        return matching.match_line(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood_id=found["neighbourhood"].id,
            line_id=line_id,
            transaction_id=transaction_id,
            now=now(),
        )

    return submit(
        form,
        work,
        done=go_to(url_for("statements.index", slug=slug), _("Matched.")),
        page=lambda status: _refused_page(found, status, form),
    )


def _refused_page(found: dict, status: int, form):
    message = "; ".join(m for messages in form.errors.values() for m in messages) or _(
        "That could not be done."
    )
    flash(message, "error")
    return page(found, status)


@bp.post("/n/<slug>/bank/lines/<int:line_id>/post")
@login_required
def post_line(slug: str, line_id: int):
    """Record a line the books lack, under its ledger rule, once."""
    found = context(slug, Action.RECONCILE_BANK)
    item = next(
        (item for item in queries.open_lines(db_session(), found["book"].id) if item.line.id == line_id), None
    )
    form = PostLineForm(prefix=f"line{line_id}")
    form.fund.choices = _funds(found)

    def work(session):
        return matching.post_line(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood_id=found["neighbourhood"].id,
            line_id=line_id,
            kind=form.kind.data or "",
            fund=form.fund.data or "",
            now=now(),
            remember=form.remember.data or "",
        )

    return submit(
        form,
        work,
        done=go_to(url_for("statements.index", slug=slug), "Recorded in the ledger."),
        page=lambda status: page(found, status, failed=(item.line.id, form) if item else None),
    )


@bp.post("/n/<slug>/bank/lines/<int:line_id>/unmatch")
@login_required
def unmatch(slug: str, line_id: int):
    """Undo a match made by mistake."""
    found = context(slug, Action.RECONCILE_BANK)
    try:
        with transaction() as session:
            matching.unmatch_line(
                session,
                actor_id=signed_in_user_id(),
                neighbourhood_id=found["neighbourhood"].id,
                line_id=line_id,
                now=now(),
            )
    except DomainError as error:
        if refused(error):
            raise
        flash(error.message, "error")
        return page(found, error.status)
    flash(_("Unmatched: the line is open again."), "success")
    return redirect(url_for("statements.index", slug=slug))
