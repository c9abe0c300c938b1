"""Saving a household's card: Stripe's test cards in test mode, Stripe.js in live mode. The card is
authorised for the levy it is saved from; anything owed already is listed to confirm, never taken at once.

The card functions call Stripe between units of work of their own, so these views end the request's
transaction (reading in `transaction()` blocks) before calling them.
"""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import login_required

from pledgebank.errors import DomainError, NotFound
from pledgebank.jobs import payments_context
from pledgebank.levies import cards, confirmations
from pledgebank.levies.models import Household
from pledgebank.levies.services import get_levy
from pledgebank.levies.web.blueprint import bp
from pledgebank.payments.gateway import CardSetup, GatewayUnavailable, TestCard
from pledgebank.payments.web.card_form import TestCardForm
from pledgebank.payments.web.pages import STRIPE_CSP, UNAVAILABLE, declined_message, emulated, gateway
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import refused, safe_next
from pledgebank.web.session import db_session, now, this_app, transaction


def ctx():
    """What the card functions need, from the app."""
    return payments_context(this_app())


def end_reads() -> None:
    """End the request's transaction, so the card functions can take their own (SQLite has one writer)."""
    db_session().commit()


def _household(levy_id: int) -> Household:
    with transaction() as session:
        session.expire_all()  # the card functions changed it in their own transactions
        return cards.own_household(session, levy_id=levy_id, user_id=signed_in_user_id())


def _after(levy_id: int) -> str:
    return safe_next(request.values.get("next"), url_for("levies.show", levy_id=levy_id))


def _card_page(levy_id: int, form: TestCardForm, status: int = 200, setup: CardSetup | None = None):
    live = setup is not None
    levy = get_levy(db_session(), levy_id)
    page = render_template(
        "levies/card.html",
        levy=levy,
        form=form,
        live=live,
        next=request.values.get("next", ""),
        client_secret=setup.client_secret if setup is not None else None,
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        return_url=url_for(
            "levies.card_return", levy_id=levy_id, next=request.values.get("next"), _external=True
        ),
    )
    response = make_response(page, status)
    if live:
        response.headers["Content-Security-Policy"] = STRIPE_CSP
    return response


def confirm_url(levy_id: int) -> str:
    """The page listing what the household's card would pay now."""
    return url_for("levies.confirm_charges", levy_id=levy_id)


def owes_now(levy_id: int) -> bool:
    """Whether the signed-in resident's household has anything its card would pay now."""
    with transaction() as session:
        session.expire_all()  # the card functions changed it in their own transactions
        household = cards.own_household(session, levy_id=levy_id, user_id=signed_in_user_id())
        return bool(confirmations.owed_now(session, household).charges)


def _saved(levy_id: int):
    household = _household(levy_id)
    levy = get_levy(db_session(), levy_id)
    saved = f"Card saved: {levy.name}'s charges are taken from the card ending {household.card_last4}"
    if owes_now(levy_id):
        flash(f"{saved}. Nothing has been taken yet: check what is owed now and confirm it.", "success")
        return redirect(confirm_url(levy_id))
    flash(f"{saved} as they fall due.", "success")
    return redirect(_after(levy_id))


@bp.get("/levies/<int:levy_id>/card")
@login_required
def card(levy_id: int):
    """Save a card for your household: test cards in test mode, Stripe's Payment Element in live mode."""
    _household(levy_id)
    if not gateway().available:
        flash("Card payments are not set up here: pay the treasurer instead.", "info")
        return redirect(url_for("levies.show", levy_id=levy_id))
    form = TestCardForm(formdata=None)
    if gateway().test_mode:
        return _card_page(levy_id, form)
    try:
        setup = cards.start_card(ctx(), levy_id=levy_id, user_id=signed_in_user_id(), now=now())
    except GatewayUnavailable:
        form.form_errors.append(UNAVAILABLE)
        return _card_page(levy_id, form, 503)
    return _card_page(levy_id, form, setup=setup)


@bp.post("/levies/<int:levy_id>/card")
@login_required
def choose_test_card(levy_id: int):
    """Test mode: save the chosen test card; a decline is shown beside the choice."""
    if not gateway().test_mode:
        raise NotFound()
    _household(levy_id)
    form = TestCardForm()
    status = 422
    if form.validate():
        try:
            setup = cards.use_test_card(
                ctx(),
                levy_id=levy_id,
                user_id=signed_in_user_id(),
                card=TestCard(form.card.data),
                return_url=url_for("levies.card_return", levy_id=levy_id, _external=True),
                now=now(),
            )
        except GatewayUnavailable:
            form.form_errors.append(UNAVAILABLE)
            status = 503
        except DomainError as error:
            if refused(error):
                raise
            form.form_errors.append(error.message)
            status = error.status
        else:
            if setup.status == "saved":
                return _saved(levy_id)
            if setup.status == "needs_authentication":
                if setup.redirect_url:
                    return redirect(setup.redirect_url)
                return redirect(
                    url_for("levies.card_check", levy_id=levy_id, next=request.values.get("next"))
                )
            form.card.errors = [declined_message(setup.decline_code)]
    return _card_page(levy_id, form, status)


@bp.route("/levies/<int:levy_id>/card/check", methods=["GET", "POST"])
@login_required
def card_check(levy_id: int):
    """Test mode, emulator: a page standing in for the bank's check (3-D Secure) while saving a card."""
    household = _household(levy_id)
    if not household.setup_intent_id or not emulated():
        return redirect(url_for("levies.card", levy_id=levy_id))
    if request.method == "GET":
        return render_template(
            "levies/check.html",
            levy=get_levy(db_session(), levy_id),
            action=url_for("levies.card_check", levy_id=levy_id, next=request.values.get("next")),
        )
    try:
        setup = cards.finish_test_authentication(
            ctx(),
            levy_id=levy_id,
            user_id=signed_in_user_id(),
            succeed=request.form.get("outcome") == "complete",
            now=now(),
        )
    except GatewayUnavailable:
        form = TestCardForm(formdata=None)
        form.form_errors.append(UNAVAILABLE)
        return _card_page(levy_id, form, 503)
    if setup.status == "saved":
        return _saved(levy_id)
    form = TestCardForm(formdata=None)
    form.card.errors = ["The bank's check failed, so the card was not saved. Choose a card again."]
    return _card_page(levy_id, form, 422)


@bp.get("/levies/<int:levy_id>/card/return")
@login_required
def card_return(levy_id: int):
    """Where Stripe sends you back after saving a card (or the bank's check): read the result."""
    household = _household(levy_id)
    try:
        setup = cards.refresh_card(ctx(), household_id=household.id, now=now(), notify=False)
    except GatewayUnavailable:
        flash(UNAVAILABLE, "error")
        return redirect(url_for("levies.show", levy_id=levy_id))
    if setup is not None and setup.status == "saved":
        return _saved(levy_id)
    if setup is not None and setup.status == "declined":
        flash(declined_message(setup.decline_code), "error")
    elif setup is not None and setup.status == "needs_authentication":
        flash("The bank's check is not finished, so the card is not saved yet.", "error")
    return redirect(url_for("levies.card", levy_id=levy_id))
