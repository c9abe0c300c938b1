"""Fixing a payment during collection, from the emailed link: confirm a payment the bank wants to check
(test mode against the emulator), or give it up and save another card."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from pledgebank.errors import Conflict, DomainError, NotFound
from pledgebank.payments.gateway import GatewayUnavailable, PaymentStatus
from pledgebank.pledges import cards
from pledgebank.pledges.standing import AUTHENTICATION_CODES
from pledgebank.pledges.states import SignupStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.card_views import UNAVAILABLE, Mine, back, emulated, mine_of, payments
from pledgebank.pledges.web.views import gateway
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import refused
from pledgebank.web.session import now


def _can_check(mine: Mine) -> bool:
    """Whether the payment is waiting for the bank's check that the emulator can stand in for."""
    if mine.decline_code not in AUTHENTICATION_CODES or not mine.payment_intent_id or not emulated():
        return False
    return gateway().payment(mine.payment_intent_id).status == PaymentStatus.NEEDS_AUTHENTICATION


def _fix_page(pledge_id: int, status: int = 200, error: str | None = None):
    mine = mine_of(pledge_id)
    if mine is None:
        raise NotFound("You have no pledge here.")
    needed = mine.status == SignupStatus.ACTION_NEEDED
    try:
        can_check = needed and _can_check(mine)
    except GatewayUnavailable:
        can_check, error, status = False, error or UNAVAILABLE, 503
    return render_template(
        "pledges/fix.html",
        mine=mine,
        needed=needed,
        can_check=can_check,
        authenticate=mine.decline_code in AUTHENTICATION_CODES,
        error=error,
    ), status


@bp.get("/p/<int:pledge_id>/fix")
@login_required
def fix(pledge_id: int):
    """The emailed link: confirm a payment the bank wants to check, or use another card."""
    return _fix_page(pledge_id)


@bp.post("/p/<int:pledge_id>/fix/authenticate")
@login_required
def fix_authenticate(pledge_id: int):
    """Test mode, emulator: pass or fail the bank's check of a held payment."""
    mine = mine_of(pledge_id)
    if mine is None:
        raise NotFound("You have no pledge here.")
    try:
        if mine.status != SignupStatus.ACTION_NEEDED or not _can_check(mine):
            raise Conflict("This payment is not waiting for a check.")
        result = cards.authenticate_payment(
            payments(),
            signup_id=mine.signup_id,
            user_id=signed_in_user_id(),
            succeed=request.form.get("outcome") == "complete",
            now=now(),
        )
    except GatewayUnavailable:
        return _fix_page(pledge_id, 503, UNAVAILABLE)
    except DomainError as error:
        if refused(error):
            raise
        return _fix_page(pledge_id, error.status, error.message)
    if result in (PaymentStatus.AUTHORISED, PaymentStatus.SUCCEEDED):
        flash("Thank you: your payment is confirmed.", "success")
        return back(pledge_id)
    return _fix_page(
        pledge_id,
        422,
        "The check was not completed, so the payment did not go through. "
        "Use another card before collection ends.",
    )


@bp.post("/p/<int:pledge_id>/fix/new-card")
@login_required
def fix_new_card(pledge_id: int):
    """Give up the declined payment and save another card for this pledge."""
    mine = mine_of(pledge_id)
    if mine is None:
        raise NotFound("You have no pledge here.")
    try:
        cards.replace_card(payments(), signup_id=mine.signup_id, user_id=signed_in_user_id(), now=now())
    except GatewayUnavailable:
        return _fix_page(pledge_id, 503, UNAVAILABLE)
    except DomainError as error:
        if refused(error):
            raise
        return _fix_page(pledge_id, error.status, error.message)
    return redirect(url_for("pledges.card", pledge_id=pledge_id))
