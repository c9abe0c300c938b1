"""The treasurer records a cash pledge's money (in cash or by bank transfer): the amount and the day, after
reading what recording it does."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from pledgebank import money_words
from pledgebank.accounts.names import names_of
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.ledger import chart
from pledgebank.pledges import services, signups
from pledgebank.pledges.states import SignupStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id
from pledgebank.web.cash_form import CashReceivedForm
from pledgebank.web.filters import short_money
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import submit

INTO = {"cash": chart.CASH, "bank": chart.BANK}


def _signup(pledge_id: int, signup_id: int):
    session = db_session()
    signup = signups.get_signup(session, signup_id)
    pledge = services.get_pledge(session, signup.pledge_id)
    require(session, current_user_id(), pledge.neighbourhood_id, Action.RECORD_PAYMENT)
    if signup.pledge_id != pledge_id:
        raise InvalidInput.field("signup", gettext("That pledge belongs to another page."))
    return pledge, signup


def _page(pledge_id: int, signup_id: int, form: CashReceivedForm, status: int = 200):
    pledge, signup = _signup(pledge_id, signup_id)
    name = names_of(db_session(), [signup.user_id]).get(signup.user_id) or gettext("a resident")
    pledged = short_money(signup.amount, pledge.currency)
    form.amount.description = gettext(
        "%(pledged)s was pledged. A pledge counts once it is paid in full.", pledged=pledged
    )
    return render_template(
        "payments/cash_received.html",
        title=gettext("Record a cash pledge received"),
        consequences=[
            gettext(
                "%(name)s pledged %(pledged)s to “%(title)s” in cash or by bank transfer.",
                name=name,
                pledged=pledged,
                title=pledge.title,
            ),
            gettext(
                "Recording it puts the money in the neighbourhood's ledger, counts the pledge towards the "
                "target from now on and emails them to say you have it. If the pledge fails or they "
                "withdraw, the money is to be given back."
            ),
        ],
        action=url_for("pledges.record_cash", pledge_id=pledge_id, signup_id=signup_id),
        button=gettext("Record the money received"),
        back=url_for("pledges.show", pledge_id=pledge_id),
        back_label=gettext("Back to “%(title)s”", title=pledge.title),
        form=form,
        owed=None,
    ), status


@bp.route("/p/<int:pledge_id>/signups/<int:signup_id>/received", methods=["GET", "POST"])
@login_required
def record_cash(pledge_id: int, signup_id: int):
    """Record a cash pledge's money once the treasurer has given the amount and the day."""
    pledge, signup = _signup(pledge_id, signup_id)
    form = CashReceivedForm(currency=pledge.currency)
    if request.method == "GET" or not form.confirmed:
        # The first press, on the pledge page: ask for the amount and the day.
        if signup.status != SignupStatus.CASH_PROMISED:
            raise Conflict("This pledge is not waiting for cash.")
        form = CashReceivedForm(formdata=None)
        chosen = (request.form if request.method == "POST" else request.args).get("into")
        form.into.data = chosen if chosen in INTO else None
        form.amount.data = money_words.plain(signup.amount, pledge.currency)
        form.received_on.data = local_date(now(), current_app.config["TIMEZONE"]).isoformat()
        return _page(pledge_id, signup_id, form)

    def work(session):
        recorded = signups.record_cash(
            session,
            actor_id=current_user_id(),
            signup_id=signup_id,
            into=INTO[form.into.data],
            amount=form.parsed_amount,
            on=form.received_date,
            now=now(),
            zone=current_app.config["TIMEZONE"],
        )
        return recorded.amount, recorded.pledge.currency

    def done(result):
        amount, currency = result
        flash(gettext("Recorded: %(amount)s received.", amount=short_money(amount, currency)), "success")
        return redirect(url_for("pledges.show", pledge_id=pledge_id))

    return submit(form, work, done=done, page=lambda status: _page(pledge_id, signup_id, form, status))
