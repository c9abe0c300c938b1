"""Your data: download everything held about you (JSON or a page), and close your account."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask.templating import stream_template
from flask_babel import gettext
from flask_login import login_required, logout_user
from sqlalchemy.orm import Session

from pledgebank.accounts import erasure
from pledgebank.accounts.privacy import CONSENTS_NOTE, personal_data
from pledgebank.accounts.privacy_export import json_chunks
from pledgebank.accounts.web.forms import CloseAccountForm
from pledgebank.errors import DomainError
from pledgebank.jobs import payments_context
from pledgebank.payments.customer_deletion import delete_customers
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import show_errors
from pledgebank.web.session import db_session, now, this_app, transaction

bp = Blueprint("your_data", __name__)
log = logging.getLogger(__name__)


def read_then_release(session: Session, chunks: Iterator[str]) -> Iterator[str]:
    """Stream the chunks, then end the read-only transaction so the database is free for writers at once."""
    try:
        yield from chunks
    finally:
        session.rollback()


def no_store(response: Response) -> Response:
    """Ask browsers and proxies to keep no copy of a response holding personal data."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/data")
@login_required
def data_page():
    """Everything held about you, as a page (streamed, so it appears as it is read)."""
    session = db_session()
    body = stream_template(
        "accounts/data.html",
        sections=personal_data(session, current_user_id()),
        consents_note=CONSENTS_NOTE,
        generated_at=now(),
    )
    return no_store(Response(stream_with_context(read_then_release(session, body)), mimetype="text/html"))


@bp.get("/account/data.json")
@login_required
def data_json():
    """Everything held about you, as a JSON download (streamed)."""
    session = db_session()
    chunks = json_chunks(session, user_id=current_user_id(), now=now())
    response = Response(stream_with_context(read_then_release(session, chunks)), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="pledgebank-my-data.json"'
    return no_store(response)


def _delete_stripe_customers(user_id: int) -> None:
    """Delete the person's Stripe customers now the erasure has committed; run-due retries what is left."""
    try:
        delete_customers(payments_context(this_app()), now=now(), user_id=user_id)
    except Exception:
        # The account is closed whatever happens here: the deletion stays recorded for run-due.
        log.exception("deleting the Stripe customer of a closed account failed")


def _close_page(form: CloseAccountForm, status: int = 200, reasons: list[str] | None = None):
    if reasons is None:
        reasons = erasure.erasure_blockers(db_session(), signed_in_user_id())
    return render_template("accounts/close.html", form=form, reasons=reasons), status


@bp.get("/account/close")
@login_required
def close_form():
    """What closing your account erases and keeps, what must happen first, and the form to do it."""
    return _close_page(CloseAccountForm(formdata=None))


@bp.post("/account/close")
@login_required
def close():
    """Close your own account; your sessions end and you are signed out."""
    form = CloseAccountForm()
    if not form.validate_on_submit():
        return _close_page(form, 422)
    user_id = current_user_id()
    try:
        with transaction() as session:
            erasure.close_account(
                session, actor_id=user_id, user_id=user_id, password=form.password.data, now=now()
            )
    except erasure.ErasureBlocked as error:
        return _close_page(form, 409, error.reasons)
    except DomainError as error:
        show_errors(form, error)
        return _close_page(form, error.status)
    _delete_stripe_customers(user_id)
    logout_user()
    flash(
        gettext("Your account is closed and your personal data erased. Thank you for taking part."), "success"
    )
    return redirect(url_for("main.home"))
