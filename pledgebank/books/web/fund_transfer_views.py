"""The "Transfers between funds" page: propose a transfer, and approve or decline those waiting."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from pledgebank.books import fund_transfers
from pledgebank.books.fund_transfer_checks import BASIS_LABELS
from pledgebank.books.web.fund_transfer_forms import FundTransferForm
from pledgebank.books.web.treasurer_forms import new_form_key
from pledgebank.clock import local_date
from pledgebank.errors import DomainError
from pledgebank.grants.funds import fund_money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.book_pages import book_context
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit

bp = Blueprint("fund_transfers", __name__)


def _fund_label(name: str, fund_type: str) -> str:
    """A fund's name with its kind, for the choice of fund."""
    kinds = {"designated": _("designated"), "restricted": _("restricted"), "endowment": _("endowment")}
    return _("%(fund)s (%(kind)s)", fund=name, kind=kinds.get(fund_type, fund_type))


def _form(context: dict, **kwargs) -> FundTransferForm:
    form = FundTransferForm(currency=context["book"].currency, **kwargs)
    funds = db_session().scalars(
        select(Fund).where(Fund.neighbourhood_id == context["neighbourhood"].id).order_by(Fund.id)
    )
    choices = [
        SelectChoice(
            fund.slug,
            fund.name if fund.fund_type == "unrestricted" else _fund_label(fund.name, fund.fund_type),
        )
        for fund in funds
    ]
    form.from_fund.choices = [SelectChoice("", _("Choose…")), *choices]
    form.to_fund.choices = [SelectChoice("", _("Choose…")), *choices]
    return form


def _page(context: dict, form: FundTransferForm, status: int = 200):
    session, book = db_session(), context["book"]
    page = render_template(
        "books/fund_transfers.html",
        **context,
        form=form,
        money=fund_money(session, context["neighbourhood"].id),
        pending=fund_transfers.pending(session, book),
        recent=fund_transfers.recent(session, book),
        bases=BASIS_LABELS,
        me=current_user_id(),
    )
    return page, status


@bp.get("/n/<slug>/ledger/transfers")
@login_required
def page(slug: str):
    """Each fund's money, the transfers waiting for approval, recent ones, and the form to propose one."""
    context = book_context(slug)
    return _page(context, _form(context, formdata=None, form_key=new_form_key()))


@bp.post("/n/<slug>/ledger/transfers")
@login_required
def propose(slug: str):
    """Propose a transfer; a second sending of the same form finds the transfer the first one proposed."""
    context = book_context(slug)
    require(db_session(), signed_in_user_id(), context["neighbourhood"].id, Action.TRANSFER_FUNDS)
    form = _form(context)

    def work(session):
        fund_transfers.propose_transfer(
            session,
            actor_id=current_user_id(),
            neighbourhood_id=context["neighbourhood"].id,
            terms=form.terms(),
            form_key=form.form_key.data or "",
            now=now(),
        )

    return submit(
        form,
        work,
        done=go_to(
            url_for("fund_transfers.page", slug=slug),
            _("Proposed. It posts when a second officer approves it; one of you must be the chair."),
        ),
        page=lambda status: _page(context, form, status),
    )


def _decide(slug: str, transfer_id: int, approving: bool):
    context = book_context(slug)
    try:
        with transaction() as session:
            if approving:
                fund_transfers.approve_transfer(
                    session,
                    actor_id=signed_in_user_id(),
                    neighbourhood_id=context["neighbourhood"].id,
                    transfer_id=transfer_id,
                    now=now(),
                    today=local_date(now(), current_app.config["TIMEZONE"]),
                )
            else:
                fund_transfers.decline_transfer(
                    session,
                    actor_id=signed_in_user_id(),
                    neighbourhood_id=context["neighbourhood"].id,
                    transfer_id=transfer_id,
                    now=now(),
                )
    except DomainError as error:
        if error.status in (401, 404):
            raise
        form = _form(context, formdata=None, form_key=new_form_key())
        form.form_errors.append(error.message)
        return _page(context, form, error.status)
    flash(
        _("Approved and recorded in the ledger.") if approving else _("The transfer will not be made."),
        "success",
    )
    return redirect(url_for("fund_transfers.page", slug=slug))


@bp.post("/n/<slug>/ledger/transfers/<int:transfer_id>/approve")
@login_required
def approve(slug: str, transfer_id: int):
    """A second officer approves the transfer, and it is posted."""
    return _decide(slug, transfer_id, approving=True)


@bp.post("/n/<slug>/ledger/transfers/<int:transfer_id>/decline")
@login_required
def decline(slug: str, transfer_id: int):
    """The proposer withdraws the transfer, or another officer declines it."""
    return _decide(slug, transfer_id, approving=False)
