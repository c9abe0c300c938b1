"""Reconciling: the bank at a statement date (statement balance, books' balance, the outstanding items on
both sides, saved once they agree), and the Stripe reconciliation report for one neighbourhood's book."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.exports.reconcile import Status, fetch_activity, reconcile_stripe
from pledgebank.inputs import InputError, parse_date
from pledgebank.policy import Action
from pledgebank.statements import queries
from pledgebank.statements.reconciling import position, reconcile
from pledgebank.statements.web.blueprint import bp
from pledgebank.statements.web.forms import ReconcileForm
from pledgebank.statements.web.views import context
from pledgebank.text import _t
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.filters import day
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _day(text: str | None) -> date | None:
    try:
        return parse_date(text, what=_t("the date"))
    except InputError:
        return None


def _page(found: dict, form: ReconcileForm, status: int = 200):
    on = _day(form.on.data)
    shown = position(db_session(), found["book"], on, form.parsed_balance) if on else None
    return render_template(
        "statements/reconcile.html",
        **found,
        form=form,
        position=shown,
        saved=queries.reconciliations(db_session(), found["book"].id),
    ), status


@bp.route("/n/<slug>/bank/reconcile", methods=["GET", "POST"])
@login_required
def reconcile_page(slug: str):
    """Compare the bank with the books at a date; save the reconciliation once they agree."""
    found = context(slug, Action.RECONCILE_BANK if request.method == "POST" else Action.VIEW_BANK)
    currency = found["book"].currency
    if request.method == "GET":
        form = ReconcileForm(formdata=None, currency=currency)
        form.on.data = request.args.get("on") or ""
        return _page(found, form)
    form = ReconcileForm(currency=currency)

    def work(session):
        saved = reconcile(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood_id=found["neighbourhood"].id,
            on=_day(form.on.data),
            now=now(),
            given=form.parsed_balance,
        )
        return saved.reconciled_on

    def done(on: date):
        there = url_for("statements.reconcile_page", slug=slug, on=on.isoformat())
        return go_to(there, _("The bank is reconciled at %(on)s.", on=day(on)))(on)

    return submit(form, work, done=done, page=lambda status: _page(found, form, status))


@bp.get("/n/<slug>/bank/stripe")
@login_required
def stripe_report(slug: str):
    """Stripe's activity since a date matched to this book: each item, and the clearing account's verdict."""
    found = context(slug)
    today = now().date()
    since = _day(request.args.get("since")) or today - timedelta(days=30)
    zone = current_app.config["TIMEZONE"]
    activity = fetch_activity(current_app.extensions["pledgebank.gateway"], since=since, zone=zone)
    report = reconcile_stripe(db_session(), activity, since=since, zone=zone, now=now(), post_payouts=False)
    book = found["book"].slug
    lines = [line for line in report.lines if any(place.book == book for place in line.places)]
    balance, _currency = report.clearing.get(book, (0, found["book"].currency))
    unpaid = report.unpaid.get(book, 0)
    left = report.unmatched(book)
    return render_template(
        "statements/stripe.html",
        **found,
        since=since,
        lines=lines,
        nowhere=sum(1 for line in report.lines if not line.places and line.status != Status.MATCHED),
        balance=balance,
        unpaid=unpaid,
        unmatched=left,
        agrees=balance == unpaid and not left,
        Status=Status,
    )
