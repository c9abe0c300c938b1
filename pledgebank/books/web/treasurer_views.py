"""The "Record money" page: the treasurer's (and chair's) everyday entries, and second approvals."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from pledgebank.books import treasurer
from pledgebank.books.categories import list_categories, offered
from pledgebank.books.treasurer_checks import ENTRY_KINDS
from pledgebank.books.web.treasurer_forms import RecordMoneyForm, new_form_key
from pledgebank.clock import local_date
from pledgebank.errors import DomainError
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.book_pages import book_context
from pledgebank.web.forms import refused
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import submit

bp = Blueprint("treasurer", __name__)


def _form(context: dict, **kwargs) -> RecordMoneyForm:
    form = RecordMoneyForm(currency=context["book"].currency, **kwargs)
    funds = db_session().scalars(
        select(Fund).where(Fund.neighbourhood_id == context["neighbourhood"].id).order_by(Fund.id)
    )
    form.fund.choices = [
        SelectChoice(
            fund.slug,
            _("%(fund)s (restricted: %(purpose)s)", fund=fund.name, purpose=fund.purpose)
            if fund.purpose
            else fund.name,
        )
        for fund in funds
    ]
    form.category.choices = [
        SelectChoice("", _("Choose…")),
        *(
            SelectChoice(category.slug, category.name)
            for category in offered(db_session(), neighbourhood_id=context["neighbourhood"].id)
        ),
    ]
    return form


def _page(context: dict, form: RecordMoneyForm, status: int = 200, approval_error: str = ""):
    session, book = db_session(), context["book"]
    page = render_template(
        "books/record_money.html",
        **context,
        form=form,
        approval_error=approval_error,
        kinds=ENTRY_KINDS,
        waiting=treasurer.waiting(session, book),
        recent=treasurer.recent(session, book),
        threshold=current_app.config["GRANT_SECOND_APPROVAL_ABOVE"],
        category_names={
            category.slug: category.name
            for category in list_categories(session, neighbourhood_id=context["neighbourhood"].id)
        },
    )
    return page, status


@bp.get("/n/<slug>/ledger/record")
@login_required
def record_money(slug: str):
    """The form to record money coming in or going out, and the payments waiting for a second approver."""
    context = book_context(slug)
    form = _form(context, formdata=None, form_key=new_form_key(), on=local_date(now(), _zone()).isoformat())
    return _page(context, form)


@bp.post("/n/<slug>/ledger/record")
@login_required
def record_money_sent(slug: str):
    """Record the entry; a second sending of the same form finds the entry the first one recorded."""
    context = book_context(slug)
    require(db_session(), signed_in_user_id(), context["neighbourhood"].id, Action.RECORD_MONEY)
    form = _form(context)

    def work(session):
        return treasurer.record_entry(
            session,
            actor_id=current_user_id(),
            neighbourhood_id=context["neighbourhood"].id,
            terms=form.terms(),
            form_key=form.form_key.data or "",
            threshold=current_app.config["GRANT_SECOND_APPROVAL_ABOVE"],
            now=now(),
            today=local_date(now(), _zone()),
        ).status

    def done(status: str):
        waits = status == treasurer.AWAITING_APPROVAL
        flash(
            _("Recorded. It waits for a second committee member to approve it.")
            if waits
            else _("Recorded in the ledger."),
            "success",
        )
        return redirect(url_for("treasurer.record_money", slug=slug))

    return submit(form, work, done=done, page=lambda status: _page(context, form, status))


@bp.post("/n/<slug>/ledger/record/<int:entry_id>/approve")
@login_required
def approve(slug: str, entry_id: int):
    """A second committee member approves a payment above the threshold, and it is posted."""
    context = book_context(slug)
    try:
        with transaction() as session:
            treasurer.approve_entry(
                session,
                actor_id=signed_in_user_id(),
                entry_id=entry_id,
                now=now(),
                neighbourhood_id=context["neighbourhood"].id,
            )
    except DomainError as error:
        if refused(error):
            raise
        form = _form(context, formdata=None, form_key=new_form_key())
        return _page(context, form, error.status, approval_error=error.message)
    flash(_("Approved and recorded in the ledger."), "success")
    return redirect(url_for("treasurer.record_money", slug=slug))


def _zone() -> str:
    return current_app.config["TIMEZONE"]
