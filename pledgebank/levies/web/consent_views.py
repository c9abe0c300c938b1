"""Consent pages: agreeing that the household's card (saved for another levy) pays this levy too, and
confirming the list of charges to take now before anything is taken.

Taking the money calls Stripe between units of work of its own, so the confirm view ends the request's
transaction before it.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.errors import DomainError
from pledgebank.levies import confirmations, consents
from pledgebank.levies.payable import own_household
from pledgebank.levies.services import get_levy
from pledgebank.levies.web.blueprint import bp
from pledgebank.levies.web.card_views import confirm_url, ctx, end_reads, owes_now
from pledgebank.payments.gateway import GatewayUnavailable
from pledgebank.payments.web.pages import UNAVAILABLE
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import refused
from pledgebank.web.session import db_session, now, transaction


@bp.route("/levies/<int:levy_id>/card/use", methods=["GET", "POST"])
@login_required
def use_card(levy_id: int):
    """Ask whether the household's saved card may pay this levy too, and record the consent once agreed."""
    session = db_session()
    levy = get_levy(session, levy_id)
    household = own_household(session, levy_id=levy_id, user_id=signed_in_user_id())
    if household.payment_method_id is None:
        return redirect(url_for("levies.card", levy_id=levy_id))
    if consents.active_consent(session, levy_id=levy_id, household=household) is not None:
        return redirect(url_for("levies.show", levy_id=levy_id))
    if household.payer_id != signed_in_user_id():
        flash(_(consents.NOT_YOURS), "info")
        return redirect(url_for("levies.card", levy_id=levy_id))
    if request.method == "GET":
        return render_template(
            "levies/use_card.html", levy=levy, household=household, wording=consents.wording(levy, household)
        )
    with transaction() as session:
        consents.use_card_for_levy(session, levy_id=levy_id, user_id=signed_in_user_id(), now=now())
    if owes_now(levy_id):
        flash(
            _(
                "The card ending %(last4)s now pays %(levy)s's charges. Nothing has been taken: check "
                "what is owed now and confirm it.",
                last4=household.card_last4,
                levy=levy.name,
            ),
            "success",
        )
        return redirect(confirm_url(levy_id))
    flash(
        _(
            "The card ending %(last4)s now pays %(levy)s's charges as they fall due.",
            last4=household.card_last4,
            levy=levy.name,
        ),
        "success",
    )
    return redirect(url_for("levies.show", levy_id=levy_id))


def _confirm_page(levy_id: int, status: int = 200, error: str | None = None):
    session = db_session()
    session.expire_all()
    levy = get_levy(session, levy_id)
    household = own_household(session, levy_id=levy_id, user_id=signed_in_user_id())
    listing = confirmations.owed_now(session, household)
    return render_template(
        "levies/confirm_charges.html", levy=levy, household=household, listing=listing, error=error
    ), status


@bp.get("/levies/<int:levy_id>/charges/confirm")
@login_required
def confirm_charges(levy_id: int):
    """What the household's card would pay now, by levy and period, with the total; nothing is taken yet."""
    return _confirm_page(levy_id)


@bp.post("/levies/<int:levy_id>/charges/confirm")
@login_required
def take_charges(levy_id: int):
    """Take the charges listed, once: the list's key makes a second press (or tab) take nothing more."""
    household_id = own_household(db_session(), levy_id=levy_id, user_id=signed_in_user_id()).id
    key = request.form.get("listing", "")
    end_reads()
    try:
        taken = confirmations.take_confirmed(
            ctx(), household_id=household_id, user_id=signed_in_user_id(), key=key, now=now()
        )
    except GatewayUnavailable:
        return _confirm_page(levy_id, 503, UNAVAILABLE)
    except DomainError as error:
        if refused(error):
            raise
        return _confirm_page(levy_id, error.status, error.message)
    if taken.again:
        flash(_("You had already confirmed these charges: they were taken once."), "info")
    elif taken.not_paid:
        flash(
            _(
                "%(paid)s of %(all)s charges were paid; the card did not pay the rest. Use another card "
                "or pay the treasurer.",
                paid=taken.paid,
                all=taken.paid + taken.not_paid,
            ),
            "error",
        )
    else:
        flash(_("Thank you: the charges listed are paid."), "success")
    return redirect(url_for("levies.show", levy_id=levy_id))
