"""The card payments page for a neighbourhood's officers: each payment, what was refunded or disputed, and
(for the treasurer) a refund form beside it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.books.services import book_of
from pledgebank.errors import DomainError
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.context import payments_context
from pledgebank.payments.refund_books import card_payments
from pledgebank.payments.refunds import refund_payment
from pledgebank.payments.web.refund_forms import RefundForm
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions, refused, show_errors
from pledgebank.web.session import db_session, now, this_app

bp = Blueprint("refunds", __name__)


def _page(slug: str, failed: RefundForm | None = None, status: int = 200):
    session = db_session()
    session.expire_all()  # a refund may have changed the books in its own transactions
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    book = book_of(session, neighbourhood.id)
    payments = card_payments(session, book)
    forms = {
        p.payment_intent_id: failed
        if failed is not None and failed._prefix == f"{p.payment_intent_id}-"
        else RefundForm(formdata=None, prefix=p.payment_intent_id, currency=book.currency)
        for p in payments
    }
    page = render_template(
        "payments/card_payments.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        payments=payments,
        forms=forms,
        currency=book.currency,
    )
    return page, status


@bp.get("/n/<slug>/card-payments")
@login_required
def card_payments_page(slug: str):
    """Card payments received, what is left of each, and the refund forms."""
    return _page(slug)


@bp.post("/n/<slug>/card-payments/<payment_intent_id>/refund")
@login_required
def refund(slug: str, payment_intent_id: str):
    """Refund part or all of one card payment through Stripe."""
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.RECORD_PAYMENT)
    currency = book_of(session, neighbourhood.id).currency
    form = RefundForm(prefix=payment_intent_id, currency=currency)
    status = 422
    if form.validate_on_submit():
        db_session().commit()  # end this request's reads: the refund takes its own transactions
        try:
            done = refund_payment(
                payments_context(this_app()),
                actor_id=signed_in_user_id(),
                payment_intent_id=payment_intent_id,
                amount=form.minor,
                request_key=form.request_key.data or "",
                now=now(),
            )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
            status = error.status
        else:
            flash(
                _("The refund is on its way to the card.") if done else _("That refund was already made."),
                "success",
            )
            return redirect(url_for("refunds.card_payments_page", slug=slug))
    return _page(slug, form, status)
