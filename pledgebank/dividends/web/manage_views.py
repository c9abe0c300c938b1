"""The committee's, chair's and treasurer's tools: drafting an agreement (or a new version), the chair's
signature, the evidence, answering a dispute, recording the body's payment, and closing."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from pledgebank.dividends import agreements, outcomes, signing
from pledgebank.dividends.agreements import Draft, get_agreement
from pledgebank.dividends.models import DividendAgreement
from pledgebank.dividends.web.blueprint import bp
from pledgebank.dividends.web.forms import AgreementForm
from pledgebank.dividends.web.pages import FORMS, agreement_page
from pledgebank.neighbourhoods import funds as neighbourhood_funds
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _today():
    return now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _signer():
    return current_app.extensions["pledgebank.signer"]


def _draft_of(form: AgreementForm) -> Draft:
    data = {name: (getattr(form, name).data or "").strip() for name in Draft.__dataclass_fields__}
    parsed = form.parsed
    return Draft(
        **{k: v for k, v in data.items() if k not in _PARSED},
        baseline_value=parsed["baseline_value"],
        target_value=parsed["target_value"],
        deadline=parsed["deadline"],
        cap=parsed["cap"],
        amount=parsed.get("amount") or 0,
        floor_value=parsed.get("floor_value"),
        tiers=parsed.get("tiers") or (),
    )


_PARSED = {"baseline_value", "target_value", "deadline", "cap", "amount", "floor_value", "tiers"}


def _form_page(neighbourhood: Neighbourhood, previous: DividendAgreement | None):
    session = db_session()
    form = AgreementForm(currency=neighbourhood.currency)
    form.fund_slug.choices = [
        SelectChoice(f.slug, f.name)
        for f in neighbourhood_funds.list_funds(session, neighbourhood_id=neighbourhood.id)
    ]
    if request.method == "GET" and previous is not None:
        _fill(form, previous)

    def work(session):
        if previous is None:
            return agreements.draft_agreement(
                session,
                actor_id=current_user_id(),
                neighbourhood=neighbourhood,
                draft=_draft_of(form),
                signer=_signer(),
                now=now(),
                today=_today(),
            ).id
        return agreements.amend(
            session,
            actor_id=current_user_id(),
            agreement_id=previous.id,
            draft=_draft_of(form),
            signer=_signer(),
            now=now(),
            today=_today(),
        ).id

    def done(agreement_id: int):
        flash(
            _("The agreement is drafted; the body's signatory and verifier are emailed their link."),
            "success",
        )
        return redirect(url_for("dividends.show", slug=neighbourhood.slug, agreement_id=agreement_id))

    def page(status: int):
        return render_template(
            "dividends/new.html",
            form=form,
            neighbourhood=neighbourhood,
            previous=previous,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    return submit(
        form,
        work,
        done=done,
        page=page,
        guard=lambda: require(db_session(), current_user_id(), neighbourhood.id, Action.MANAGE_DIVIDENDS),
    )


def _fill(form: AgreementForm, previous: DividendAgreement) -> None:
    for name in Draft.__dataclass_fields__:
        if name in ("body_name", "body_kind", "fund_slug", "tiers"):
            continue
        value = getattr(previous, name)
        getattr(form, name).data = "" if value is None else str(value)
    form.body_name.data, form.body_kind.data = previous.body.name, previous.body.kind
    form.fund_slug.data = previous.fund.slug
    form.tiers.data = "\n".join(f"{reached}: {amount / 100:.2f}" for reached, amount in previous.tiers or [])
    form.amount.data = f"{previous.amount / 100:.2f}" if previous.amount else ""
    form.cap.data = f"{previous.cap / 100:.2f}"


@bp.route("/n/<slug>/dividends/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    """Draft an agreement (committee)."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.MANAGE_DIVIDENDS)
    return _form_page(neighbourhood, None)


@bp.route("/n/<slug>/dividends/<int:agreement_id>/amend", methods=["GET", "POST"])
@login_required
def amend(slug: str, agreement_id: int):
    """Draft a new version of an agreement in force (committee)."""
    del slug
    session = db_session()
    previous = get_agreement(session, agreement_id)
    require(session, signed_in_user_id(), previous.neighbourhood_id, Action.MANAGE_DIVIDENDS)
    return _form_page(previous.neighbourhood, previous)


def _tool(agreement_id: int, name: str, action: Action, work: Callable, done: str):
    session = db_session()
    agreement = get_agreement(session, agreement_id)
    form = FORMS[name](request.form, currency=agreement.currency)
    url = url_for("dividends.show", slug=agreement.neighbourhood.slug, agreement_id=agreement_id)
    return submit(
        form,
        lambda session: work(session, form),
        done=go_to(url, done),
        page=lambda status: agreement_page(agreement_id, status, **{name: form}),
        guard=lambda: require(db_session(), current_user_id(), agreement.neighbourhood_id, action),
    )


@bp.post("/dividends/<int:agreement_id>/sign")
@login_required
def sign(agreement_id: int):
    """The chair signs the terms shown, for the neighbourhood."""

    def work(session, form):
        signing.sign_for_neighbourhood(
            session,
            actor_id=current_user_id(),
            agreement_id=agreement_id,
            signed_hash=form.terms_hash.data,
            now=now(),
        )

    return _tool(agreement_id, "sign_form", Action.SIGN_DIVIDEND, work, _("You signed the agreement."))


@bp.post("/dividends/<int:agreement_id>/evidence")
@login_required
def evidence(agreement_id: int):
    """The committee gives a period's figure."""

    def work(session, form):
        outcomes.submit_evidence(
            session,
            actor_id=current_user_id(),
            agreement_id=agreement_id,
            period=(form.period.data or "").strip(),
            value=form.parsed.get("value"),
            notes=(form.notes.data or "").strip(),
            now=now(),
            today=_today(),
        )

    return _tool(agreement_id, "evidence_form", Action.MANAGE_DIVIDENDS, work, _("The evidence is recorded."))


@bp.post("/dividends/<int:agreement_id>/answer")
@login_required
def answer(agreement_id: int):
    """The committee answers the verifier's dispute."""

    def work(session, form):
        outcomes.answer(
            session,
            actor_id=current_user_id(),
            agreement_id=agreement_id,
            reply=form.reply.data or "",
            now=now(),
        )

    return _tool(agreement_id, "answer_form", Action.MANAGE_DIVIDENDS, work, _("Your answer is recorded."))


@bp.post("/dividends/<int:agreement_id>/payment")
@login_required
def payment(agreement_id: int):
    """The treasurer records the body's bank transfer."""

    def work(session, form):
        outcomes.record_payment(
            session,
            actor_id=current_user_id(),
            agreement_id=agreement_id,
            paid_on=form.parsed.get("paid_on"),
            reference=form.reference.data or "",
            now=now(),
            today=_today(),
        )

    return _tool(agreement_id, "payment_form", Action.RECORD_PAYMENT, work, _("The payment is recorded."))


@bp.post("/dividends/<int:agreement_id>/close")
@login_required
def close(agreement_id: int):
    """The committee closes a paid agreement."""

    def work(session, form):
        outcomes.close(session, actor_id=current_user_id(), agreement_id=agreement_id, now=now())

    return _tool(agreement_id, "close_form", Action.MANAGE_DIVIDENDS, work, _("The agreement is closed."))
