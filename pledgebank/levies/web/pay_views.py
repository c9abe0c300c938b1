"""A charge's "pay now" page, from the emailed link: pay with the household's saved card, pass the bank's
check (test mode, emulator), use another card, or ask the committee for hardship help.

The payment functions call Stripe between units of work of their own, so these views end the request's
transaction before calling them.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.errors import Conflict, DomainError, NotFound
from pledgebank.levies import consents, hardship, payments
from pledgebank.levies.charges import own_charge
from pledgebank.levies.models import Household
from pledgebank.levies.states import UNPAID, ChargeStatus
from pledgebank.levies.web.blueprint import bp
from pledgebank.levies.web.card_views import ctx, end_reads
from pledgebank.levies.web.forms import HardshipForm
from pledgebank.payments.gateway import GatewayUnavailable, PaymentStatus
from pledgebank.payments.web.pages import UNAVAILABLE, can_check, emulated, gateway
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import refused
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def pay_page(charge_id: int, status: int = 200, error: str | None = None, **forms):
    """Render a charge's pay-now page (with a submitted form's errors in place)."""
    # Only read (never committed), so that a refused form's page can still be shown.
    session = db_session()
    session.expire_all()  # the card functions may have changed them in their own transactions
    charge = own_charge(session, charge_id, current_user_id())
    household = session.get(Household, charge.household_id)
    request_pending = hardship.pending_request(session, charge.id)
    levy = charge.levy
    amount_due = charge.amount_due
    unpaid = charge.status in UNPAID and not charge.paused
    checkable = False
    try:
        checkable = unpaid and can_check(charge.decline_code, charge.payment_intent_id)
    except GatewayUnavailable:
        error, status = error or UNAVAILABLE, 503
    return render_template(
        "levies/pay.html",
        charge=charge,
        levy=levy,
        household=household,
        amount_due=amount_due,
        unpaid=unpaid,
        can_check=checkable,
        cards=gateway().available,
        request_pending=request_pending,
        consent=consents.active_consent(session, levy_id=levy.id, household=household) if household else None,
        error=error,
        hardship_form=forms.get("hardship_form") or HardshipForm(formdata=None),
    ), status


@bp.get("/levies/charges/<int:charge_id>/pay")
@login_required
def pay(charge_id: int):
    """The emailed link: pay a charge now, pass the bank's check, use another card, or ask for help."""
    return pay_page(charge_id)


@bp.post("/levies/charges/<int:charge_id>/pay")
@login_required
def pay_with_card(charge_id: int):
    """Pay the charge with the household's saved card now."""
    end_reads()
    try:
        outcome = payments.pay_now(ctx(), charge_id=charge_id, user_id=signed_in_user_id(), now=now())
    except GatewayUnavailable:
        return pay_page(charge_id, 503, UNAVAILABLE)
    except DomainError as error:
        if refused(error):
            raise
        return pay_page(charge_id, error.status, error.message)
    if outcome == ChargeStatus.PAID:
        flash(_("Thank you: the charge is paid."), "success")
        return redirect(url_for("levies.pay", charge_id=charge_id))
    return pay_page(
        charge_id, 422, _("The payment did not go through. Use another card, or pay the treasurer.")
    )


@bp.post("/levies/charges/<int:charge_id>/pay/authenticate")
@login_required
def pay_authenticate(charge_id: int):
    """Test mode, emulator: pass or fail the bank's check of the charge's payment."""
    if not emulated():
        raise NotFound()
    end_reads()
    try:
        result = payments.authenticate_payment(
            ctx(),
            charge_id=charge_id,
            user_id=signed_in_user_id(),
            succeed=request.form.get("outcome") == "complete",
            now=now(),
        )
    except GatewayUnavailable:
        return pay_page(charge_id, 503, UNAVAILABLE)
    except Conflict as error:
        return pay_page(charge_id, error.status, error.message)
    if result == PaymentStatus.SUCCEEDED:
        flash(_("Thank you: your payment is confirmed and the charge is paid."), "success")
        return redirect(url_for("levies.pay", charge_id=charge_id))
    return pay_page(charge_id, 422, _("The check was not completed, so the payment did not go through."))


@bp.post("/levies/charges/<int:charge_id>/hardship")
@login_required
def ask_hardship(charge_id: int):
    """Ask the committee to waive or reduce a charge; collection pauses until they decide."""
    currency = own_charge(db_session(), charge_id, signed_in_user_id()).currency
    form = HardshipForm(currency=currency)

    def work(session):
        hardship.request_hardship(
            session,
            actor_id=current_user_id(),
            charge_id=charge_id,
            reason=form.reason.data,
            amount=form.parsed_amount,
            now=now(),
        )

    return submit(
        form,
        work,
        done=go_to(
            url_for("levies.pay", charge_id=charge_id),
            _("Your request is with the committee. Nothing is taken until they decide."),
        ),
        page=lambda status: pay_page(charge_id, status, hardship_form=form),
    )
