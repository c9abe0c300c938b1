"""Saving a pledger's card: Stripe's test cards in test mode, Stripe.js in live mode.

The card functions call Stripe between units of work of their own, so these views end the request's
transaction (reading in `transaction()` blocks) before calling them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import login_required

from pledgebank.errors import DomainError, NotFound
from pledgebank.jobs import payments_context
from pledgebank.payments.gateway import CardSetup, GatewayUnavailable, TestCard
from pledgebank.payments.web.card_form import TestCardForm
from pledgebank.payments.web.pages import STRIPE_CSP, UNAVAILABLE, declined_message, emulated
from pledgebank.pledges import cards, services, signups
from pledgebank.pledges.states import SignupStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.views import gateway
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.filters import short_money
from pledgebank.web.forms import refused
from pledgebank.web.session import now, this_app, transaction


@dataclass(frozen=True, slots=True)
class Mine:
    """The signed-in user's signup for a pledge, read in a short transaction."""

    pledge_id: int
    signup_id: int
    title: str
    status: SignupStatus
    amount: int
    currency: str
    setup_intent_id: str | None
    payment_intent_id: str | None
    decline_code: str | None
    card_last4: str | None
    collection_ends_at: object


def mine_of(pledge_id: int) -> Mine | None:
    """Read the user's signup and end the transaction, so the card functions can take their own."""
    with transaction() as session:
        pledge = services.get_pledge(session, pledge_id)
        signup = signups.signup_of(session, pledge_id=pledge_id, user_id=current_user_id())
        if signup is None:
            return None
        return Mine(
            pledge.id,
            signup.id,
            pledge.title,
            signup.status,
            signup.amount,
            pledge.currency,
            signup.setup_intent_id,
            signup.payment_intent_id,
            signup.decline_code,
            signup.card_last4,
            pledge.collection_ends_at,
        )


def payments():
    """What the card functions need, from the app."""
    return payments_context(this_app())


def back(pledge_id: int):
    """Back to the pledge page."""
    return redirect(url_for("pledges.show", pledge_id=pledge_id))


def _saved(pledge_id: int):
    """Say what saving the card led to, and go back to the pledge (or on to fixing the payment)."""
    mine = mine_of(pledge_id)
    if mine is None:  # withdrawn meanwhile
        return back(pledge_id)
    amount = short_money(mine.amount, mine.currency)
    if mine.status == SignupStatus.ACTION_NEEDED:
        flash("Card saved, but the payment needs your attention.", "info")
        return redirect(url_for("pledges.fix", pledge_id=pledge_id))
    messages = {
        SignupStatus.CAPTURED: f"Card saved and charged: thank you, {amount} is paid.",
        SignupStatus.HELD: f"Card saved: {amount} is reserved on your card ending {mine.card_last4} and "
        "is taken when collection ends.",
    }
    flash(
        messages.get(
            mine.status,
            f"Card saved: your card ending {mine.card_last4} is ready for your {amount} pledge. Nothing is "
            "taken unless the pledge succeeds.",
        ),
        "success",
    )
    return back(pledge_id)


def _card_page(mine: Mine, form: TestCardForm, status: int = 200, setup: CardSetup | None = None):
    live = setup is not None
    page = render_template(
        "pledges/card.html",
        mine=mine,
        form=form,
        live=live,
        client_secret=setup.client_secret if setup is not None else None,
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        return_url=url_for("pledges.card_return", pledge_id=mine.pledge_id, _external=True),
    )
    response = make_response(page, status)
    if live:
        response.headers["Content-Security-Policy"] = STRIPE_CSP
    return response


def _pending(pledge_id: int) -> Mine | None:
    mine = mine_of(pledge_id)
    if mine is None or mine.status != SignupStatus.CARD_PENDING or not gateway().available:
        return None
    return mine


@bp.get("/p/<int:pledge_id>/card")
@login_required
def card(pledge_id: int):
    """Save the card for your pledge: test cards in test mode, Stripe's Payment Element in live mode."""
    mine = _pending(pledge_id)
    if mine is None:
        flash("Your pledge does not need a card now.", "info")
        return back(pledge_id)
    form = TestCardForm(formdata=None)
    if gateway().test_mode:
        return _card_page(mine, form)
    try:
        setup = cards.start_card(payments(), signup_id=mine.signup_id, user_id=signed_in_user_id(), now=now())
    except GatewayUnavailable:
        form.form_errors.append(UNAVAILABLE)
        return _card_page(mine, form, 503)
    return _card_page(mine, form, setup=setup)


@bp.post("/p/<int:pledge_id>/card")
@login_required
def choose_test_card(pledge_id: int):
    """Test mode: save the chosen test card; a decline is shown beside the choice."""
    if not gateway().test_mode:
        raise NotFound()
    mine = _pending(pledge_id)
    if mine is None:
        flash("Your pledge does not need a card now.", "info")
        return back(pledge_id)
    form = TestCardForm()
    status = 422
    if form.validate():
        try:
            setup = cards.use_test_card(
                payments(),
                signup_id=mine.signup_id,
                user_id=signed_in_user_id(),
                card=TestCard(form.card.data),
                return_url=url_for("pledges.card_return", pledge_id=pledge_id, _external=True),
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
                return _saved(pledge_id)
            if setup.status == "needs_authentication":
                if setup.redirect_url:
                    return redirect(setup.redirect_url)
                return redirect(url_for("pledges.card_check", pledge_id=pledge_id))
            form.card.errors = [declined_message(setup.decline_code)]
    return _card_page(mine, form, status)


@bp.get("/p/<int:pledge_id>/card/check")
@login_required
def card_check(pledge_id: int):
    """Test mode, emulator: a page standing in for the bank's check (3-D Secure) while saving a card."""
    mine = _pending(pledge_id)
    if mine is None or not mine.setup_intent_id or not emulated():
        return redirect(url_for("pledges.card", pledge_id=pledge_id))
    return render_template(
        "pledges/check.html", mine=mine, action=url_for("pledges.card_check", pledge_id=pledge_id)
    )


@bp.post("/p/<int:pledge_id>/card/check")
@login_required
def finish_card_check(pledge_id: int):
    """Pass or fail the stand-in bank check; a failed check lets you choose a card again."""
    mine = _pending(pledge_id)
    if mine is None or not mine.setup_intent_id or not emulated():
        return redirect(url_for("pledges.card", pledge_id=pledge_id))
    form = TestCardForm(formdata=None)
    try:
        setup = cards.finish_test_authentication(
            payments(),
            signup_id=mine.signup_id,
            user_id=signed_in_user_id(),
            succeed=request.form.get("outcome") == "complete",
            now=now(),
        )
    except GatewayUnavailable:
        form.form_errors.append(UNAVAILABLE)
        return _card_page(mine, form, 503)
    if setup.status == "saved":
        return _saved(pledge_id)
    form.card.errors = ["The bank's check failed, so the card was not saved. Choose a card again."]
    return _card_page(mine_of(pledge_id) or mine, form, 422)


@bp.get("/p/<int:pledge_id>/card/return")
@login_required
def card_return(pledge_id: int):
    """Where Stripe sends you back after saving a card (or the bank's check): read the result."""
    mine = mine_of(pledge_id)
    if mine is None or mine.status != SignupStatus.CARD_PENDING:
        return back(pledge_id)
    try:
        setup = cards.refresh_card(payments(), signup_id=mine.signup_id, now=now())
    except GatewayUnavailable:
        flash(UNAVAILABLE, "error")
        return back(pledge_id)
    if setup is not None and setup.status == "saved":
        return _saved(pledge_id)
    if setup is not None and setup.status == "declined":
        flash(declined_message(setup.decline_code), "error")
    elif setup is not None and setup.status == "needs_authentication":
        flash("The bank's check is not finished, so the card is not saved yet.", "error")
    return redirect(url_for("pledges.card", pledge_id=pledge_id))
