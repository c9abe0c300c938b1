"""The treasurer records money received towards a levy charge in cash or by bank transfer: the amount and the
day, all of what is owed or part of it (the rest is still owed)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank import money_words
from pledgebank.clock import local_date
from pledgebank.errors import Conflict
from pledgebank.levies import charges
from pledgebank.levies.states import UNPAID, ChargeStatus
from pledgebank.levies.web.blueprint import bp
from pledgebank.levies.web.views import zone
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id
from pledgebank.web.cash_form import CashReceivedForm
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import submit


def _page(charge_id: int, form: CashReceivedForm, status: int = 200):
    session = db_session()
    charge = charges.get_charge(session, charge_id)
    require(session, current_user_id(), charge.levy.neighbourhood_id, Action.RECORD_PAYMENT)
    slug = session.get_one(Neighbourhood, charge.levy.neighbourhood_id).slug
    owed = money_words.full(charge.amount_due, charge.currency)
    form.amount.description = _(
        "%(owed)s is owed. Enter less for a part payment: the rest stays owed.", owed=owed
    )
    return render_template(
        "payments/cash_received.html",
        title=_("Record money received"),
        consequences=[
            _(
                "%(address)s: %(levy)s, the period from %(period)s. %(owed)s is owed.",
                address=charge.household.address,
                levy=charge.levy.name,
                period=format_date(charge.period_start, "long"),
                owed=owed,
            ),
            _(
                "Recording it puts the money in the neighbourhood's ledger for good (a mistake is put right "
                "by a correcting entry, not by deleting it) and emails the household a receipt once all is "
                "paid."
            ),
            _(
                "A part payment leaves the rest owed, collected as before (from the household's card, if one "
                "is saved, or by you)."
            ),
        ],
        action=url_for("levies.record_payment", charge_id=charge_id),
        button=_("Record the money received"),
        back=url_for("levies.accounts", slug=slug),
        back_label=_("Back to the levy accounts"),
        form=form,
        owed=charge.amount_due,
    ), status


@bp.get("/levies/charges/<int:charge_id>/received")
@login_required
def record_payment_form(charge_id: int):
    """The form to record money received towards a charge (treasurer)."""
    form = CashReceivedForm(formdata=None)
    form.into.data = request.args.get("into") if request.args.get("into") in ("cash", "bank") else None
    return _prefilled(charge_id, form)


def _prefilled(charge_id: int, form: CashReceivedForm):
    session = db_session()
    charge = charges.get_charge(session, charge_id)
    require(session, current_user_id(), charge.levy.neighbourhood_id, Action.RECORD_PAYMENT)
    if charge.status not in UNPAID:
        raise Conflict("This charge is not waiting for payment.")
    if charge.paused:
        raise Conflict("A hardship request on this charge is waiting for the committee; decide it first.")
    form.amount.data = money_words.plain(charge.amount_due, charge.currency)
    form.received_on.data = local_date(now(), zone()).isoformat()
    return _page(charge_id, form)


@bp.post("/levies/charges/<int:charge_id>/received")
@login_required
def record_payment(charge_id: int):
    """Record money received towards a charge, once the treasurer has given the amount and the day."""
    session = db_session()
    charge = charges.get_charge(session, charge_id)
    form = CashReceivedForm(currency=charge.currency)
    if not form.confirmed:
        # The first press, on the accounts page: ask for the amount and the day.
        form = CashReceivedForm(formdata=None)
        form.into.data = request.form.get("into") if request.form.get("into") in ("cash", "bank") else None
        return _prefilled(charge_id, form)

    def work(session):
        charge = charges.record_payment(
            session,
            actor_id=current_user_id(),
            charge_id=charge_id,
            into=form.into.data,
            amount=form.parsed_amount,
            on=form.received_date,
            owed=form.owed_amount,
            now=now(),
            zone=zone(),
        )
        slug = session.get_one(Neighbourhood, charge.levy.neighbourhood_id).slug
        still = (
            "" if charge.status == ChargeStatus.PAID else money_words.full(charge.amount_due, charge.currency)
        )
        return slug, money_words.full(form.parsed_amount, charge.currency), still

    def done(result):
        slug, received, still = result
        flash(
            _("Recorded: %(received)s received. %(still)s is still owed.", received=received, still=still)
            if still
            else _("Recorded: %(received)s received. The charge is paid.", received=received),
            "success",
        )
        return redirect(url_for("levies.accounts", slug=slug))

    return submit(form, work, done=done, page=lambda status: _page(charge_id, form, status))
