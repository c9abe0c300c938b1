"""The body's page for one agreement, reached by the signed link its signatory and verifier are emailed: read
the terms and sign them; later verify the evidence or dispute it. No account and no role is needed; someone
with an account under that address reaches the same page from the agreement's page."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from pledgebank.accounts.models import User
from pledgebank.dividends import outcomes, signing
from pledgebank.dividends.agreements import get_agreement
from pledgebank.dividends.links import link_token, person_of_link
from pledgebank.dividends.progress import lay_out
from pledgebank.dividends.terms import payment
from pledgebank.dividends.web.blueprint import bp
from pledgebank.dividends.web.forms import DisputeForm, EmptyForm, SignForm
from pledgebank.dividends.web.pages import pulse_rounds
from pledgebank.errors import Forbidden
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _page(agreement_id: int, token: str, status: int = 200, **forms):
    session = db_session()
    agreement = get_agreement(session, agreement_id)
    email, name = person_of_link(current_app.extensions["pledgebank.signer"], agreement, token, now())
    forms.setdefault("sign_form", SignForm(currency=agreement.currency))
    forms.setdefault("verify_form", EmptyForm(currency=agreement.currency))
    forms.setdefault("dispute_form", DisputeForm(currency=agreement.currency))
    latest = agreement.latest_value
    return render_template(
        "dividends/link.html",
        agreement=agreement,
        token=token,
        person=name,
        signs=email == agreement.signatory_email,
        verifies=email == agreement.verifier_email,
        has_signed=any(s.signer_email == email for s in agreement.signatures),
        chart=lay_out(
            agreement.baseline_value,
            agreement.target_value,
            [(e.period, e.value) for e in agreement.evidence],
        ),
        due_now=payment(agreement.terms, latest) if latest is not None else 0,
        pulse_rounds=pulse_rounds(session, agreement),
        **forms,
    ), status


@bp.get("/dividends/<int:agreement_id>/body/<token>")
def body_page(agreement_id: int, token: str):
    """The agreement as the body's signatory or verifier sees it, with their tools."""
    return _page(agreement_id, token)


@bp.get("/dividends/<int:agreement_id>/as-body")
@login_required
def as_body(agreement_id: int):
    """The body's signatory or verifier with an account of their own: to their page, without the email."""
    session = db_session()
    agreement = get_agreement(session, agreement_id)
    email = session.get_one(User, signed_in_user_id()).email.lower()
    if email not in (agreement.signatory_email, agreement.verifier_email):
        raise Forbidden(
            _("Only the body's signatory or verifier named in this agreement can act for the body.")
        )
    token = link_token(current_app.extensions["pledgebank.signer"], agreement, email, now())
    return redirect(url_for("dividends.body_page", agreement_id=agreement_id, token=token))


@bp.post("/dividends/<int:agreement_id>/body/<token>/<step>")
def body_step(agreement_id: int, token: str, step: str):
    """Sign, verify or dispute through the link."""
    session = db_session()
    agreement = get_agreement(session, agreement_id)
    email, name = person_of_link(current_app.extensions["pledgebank.signer"], agreement, token, now())
    form_type, form_name = {"sign": (SignForm, "sign_form"), "verify": (EmptyForm, "verify_form")}.get(
        step, (DisputeForm, "dispute_form")
    )
    if step not in ("sign", "verify", "dispute"):
        return _page(agreement_id, token, 404)
    form = form_type(request.form, currency=agreement.currency)
    today = now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()

    def work(session):
        if step == "sign":
            signing.sign(
                session,
                agreement_id=agreement_id,
                party="body",
                email=email,
                name=name,
                user_id=None,
                signed_hash=form.terms_hash.data,
                now=now(),
            )
        elif step == "verify":
            outcomes.verify(
                session, agreement_id=agreement_id, email=email, name=name, now=now(), today=today
            )
        else:
            reasons = form.reasons.data or ""
            outcomes.dispute(
                session, agreement_id=agreement_id, email=email, name=name, reasons=reasons, now=now()
            )

    return submit(
        form,
        work,
        done=go_to(url_for("dividends.body_page", agreement_id=agreement_id, token=token), str(_DONE[step])),
        page=lambda status: _page(agreement_id, token, status, **{form_name: form}),
    )


_DONE = {
    "sign": _l("You signed the agreement."),
    "verify": _l("You verified the outcome."),
    "dispute": _l("Your dispute is sent."),
}
