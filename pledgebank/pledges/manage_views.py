"""The committee's tools on a pledge (approve, cancel, updates, sponsors' offers) and the treasurer's
(cash received, a sponsor's payment)."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_login import login_required

from pledgebank.errors import DomainError, InvalidInput
from pledgebank.ledger import chart
from pledgebank.pledges import extras, services, signups
from pledgebank.pledges.forms import CancelForm, OfferForm, UpdateForm
from pledgebank.pledges.views import bp, pledge_page, short_money
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import form_status, refused, show_errors
from pledgebank.web.session import db_session, now, transaction

INTO = {"cash": chart.CASH, "bank": chart.BANK}


def _back(pledge_id: int):
    return redirect(url_for("pledges.show", pledge_id=pledge_id))


def _require_committee(pledge_id: int) -> None:
    """Those who may not use a tool are told so (403) before being told what was wrong with the form."""
    session = db_session()
    require(
        session,
        current_user_id(),
        services.get_pledge(session, pledge_id).neighbourhood_id,
        Action.MANAGE_PLEDGES,
    )


@bp.post("/p/<int:pledge_id>/approve")
@login_required
def approve(pledge_id: int):
    """Open a draft pledge (committee)."""
    with transaction() as session:
        pledge = services.get_pledge(session, pledge_id, lock=True)
        services.approve_pledge(session, actor_id=signed_in_user_id(), pledge=pledge, now=now())
    flash("The pledge is approved and open for pledges.", "success")
    return _back(pledge_id)


@bp.post("/p/<int:pledge_id>/cancel")
@login_required
def cancel(pledge_id: int):
    """Cancel a pledge before it activates (committee), saying why; everyone who pledged is told."""
    form = CancelForm()
    if form.validate():
        try:
            with transaction() as session:
                services.cancel_pledge(
                    session,
                    actor_id=signed_in_user_id(),
                    pledge=services.get_pledge(session, pledge_id),
                    reason=form.reason.data,
                    now=now(),
                )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
        else:
            flash("The pledge is cancelled. Everyone who pledged has been told; nobody is charged.", "info")
            return _back(pledge_id)
    else:
        _require_committee(pledge_id)
    return pledge_page(pledge_id, form_status(form), cancel_form=form)


@bp.post("/p/<int:pledge_id>/updates")
@login_required
def post_update(pledge_id: int):
    """Post news (creator or committee); it is emailed to everyone who has pledged."""
    form = UpdateForm()
    if form.validate():
        try:
            with transaction() as session:
                extras.post_update(
                    session,
                    actor_id=signed_in_user_id(),
                    pledge=services.get_pledge(session, pledge_id),
                    body=form.body.data,
                    now=now(),
                )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
        else:
            flash("Your update is posted and emailed to everyone who has pledged.", "success")
            return _back(pledge_id)
    elif services.get_pledge(db_session(), pledge_id).creator_id != signed_in_user_id():
        _require_committee(pledge_id)
    return pledge_page(pledge_id, form_status(form), update_form=form)


@bp.post("/p/<int:pledge_id>/offers")
@login_required
def add_offer(pledge_id: int):
    """Record a sponsor's match offer (committee)."""
    pledge = services.get_pledge(db_session(), pledge_id)
    form = OfferForm(currency=pledge.currency)
    if not form.validate():
        _require_committee(pledge_id)
    else:
        try:
            with transaction() as session:
                extras.add_match_offer(
                    session,
                    actor_id=signed_in_user_id(),
                    pledge=services.get_pledge(session, pledge_id),
                    sponsor_name=form.sponsor_name.data,
                    ratio=form.ratio.data,
                    cap=form.cap_amount,
                    now=now(),
                )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
        else:
            flash(f"The offer from {form.sponsor_name.data.strip()} is recorded.", "success")
            return _back(pledge_id)
    return pledge_page(pledge_id, form_status(form), offer_form=form)


def _into() -> str:
    into = INTO.get(request.form.get("into", ""))
    if into is None:
        raise InvalidInput.field("into", "Choose cash or bank transfer.")
    return into


@bp.post("/p/<int:pledge_id>/signups/<int:signup_id>/received")
@login_required
def record_cash(pledge_id: int, signup_id: int):
    """The treasurer has a cash pledge's money (in cash or by bank transfer): it counts from now on."""
    with transaction() as session:
        signup = signups.record_cash(
            session,
            actor_id=signed_in_user_id(),
            signup_id=signup_id,
            into=_into(),
            now=now(),
            zone=current_app.config["TIMEZONE"],
        )
        if signup.pledge_id != pledge_id:
            raise InvalidInput.field("signup", "That pledge belongs to another page.")
        amount, currency = signup.amount, signup.pledge.currency
    flash(f"Recorded: {short_money(amount, currency)} received.", "success")
    return _back(pledge_id)


@bp.post("/p/<int:pledge_id>/offers/<int:offer_id>/received")
@login_required
def record_match(pledge_id: int, offer_id: int):
    """The sponsor has paid what it owed (treasurer)."""
    with transaction() as session:
        offer = extras.record_match_received(
            session,
            actor_id=signed_in_user_id(),
            offer_id=offer_id,
            into=_into(),
            now=now(),
            zone=current_app.config["TIMEZONE"],
        )
        if offer.pledge_id != pledge_id:
            raise InvalidInput.field("offer", "That offer belongs to another pledge.")
        name = offer.sponsor_name
    flash(f"Recorded: {name} has paid.", "success")
    return _back(pledge_id)
