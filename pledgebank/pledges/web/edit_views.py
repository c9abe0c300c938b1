"""Changing a pledge's wording and terms before anyone has pledged (its creator or the committee)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from pledgebank import money_words
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.pledges import funding, services
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.forms import OWN_FUND, PledgeForm
from pledgebank.pledges.web.views import _terms
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _fill(form: PledgeForm, pledge, fund_slug: str | None, zone: str) -> None:
    if pledge.own_fund or fund_slug is None:
        fund_slug = OWN_FUND

    def typed(amount: int | None) -> str:
        return "" if amount is None else money_words.plain(amount, pledge.currency)

    local = pledge.deadline.astimezone(ZoneInfo(zone))
    form.fund.data, form.title.data, form.description.data = fund_slug, pledge.title, pledge.description
    form.kind.data, form.next_steps.data = pledge.kind, pledge.next_steps
    form.action.data = pledge.action
    form.amount_kind.data = pledge.amount_kind
    form.amount.data = "" if pledge.of_time else typed(pledge.amount)
    form.target_pledgers.data = "" if pledge.target_pledgers is None else str(pledge.target_pledgers)
    form.target_amount.data = typed(pledge.target_amount)
    form.cap.data = "" if pledge.cap is None else str(pledge.cap)
    form.deadline.data, form.deadline_time.data = local.date().isoformat(), local.strftime("%H:%M")
    form.allow_cash.data = pledge.allow_cash


@bp.route("/p/<int:pledge_id>/edit", methods=["GET", "POST"])
@login_required
def edit(pledge_id: int):
    """Change the pledge while nobody has pledged yet; the wording freezes at the first pledge."""
    session = db_session()
    pledge = services.get_pledge(session, pledge_id)
    neighbourhood = session.get_one(Neighbourhood, pledge.neighbourhood_id)
    if signed_in_user_id() != pledge.creator_id:
        require(session, signed_in_user_id(), neighbourhood.id, Action.MANAGE_PLEDGES)
    zone = current_app.config["TIMEZONE"]
    form = PledgeForm(currency=neighbourhood.currency, zone=zone)
    offered = funding.funds_to_offer(session, actor_id=signed_in_user_id(), neighbourhood_id=neighbourhood.id)
    fund = None if pledge.fund_id is None else session.get(Fund, pledge.fund_id)  # a pledge of time has none
    form.offer_funds(offered, pledge=pledge, current=fund)
    if request.method == "GET":
        _fill(form, pledge, None if fund is None else fund.slug, zone)

    def work(session):
        services.edit_pledge(
            session, actor_id=current_user_id(), pledge=pledge, terms=_terms(form, neighbourhood), now=now()
        )

    def page(status: int):
        return render_template(
            "pledges/new.html",
            form=form,
            neighbourhood=neighbourhood,
            pledge=pledge,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    return submit(
        form,
        work,
        done=go_to(url_for("pledges.show", pledge_id=pledge.id), gettext("The pledge is changed.")),
        page=page,
    )
