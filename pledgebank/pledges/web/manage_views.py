"""The committee's tools on a pledge (approve, cancel, updates, sponsors' offers) and the treasurer's
(cash received, a sponsor's payment)."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext, ngettext
from flask_login import login_required

from pledgebank.errors import InvalidInput
from pledgebank.ledger import chart
from pledgebank.pledges import extras, services, signups
from pledgebank.pledges.states import PledgeStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.forms import CancelForm, OfferForm, UpdateForm
from pledgebank.pledges.web.views import pledge_page
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.confirm import ConfirmForm, confirm_page
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit

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
    flash(gettext("The pledge is approved and open for pledges."), "success")
    return _back(pledge_id)


@bp.post("/p/<int:pledge_id>/cancel")
@login_required
def cancel(pledge_id: int):
    """Cancel a pledge before it activates (committee), saying why; everyone who pledged is told."""
    form = CancelForm()
    if form.validate() and not ConfirmForm().confirmed:
        _require_committee(pledge_id)
        page = _confirm_cancel(pledge_id, form.reason.data)
        if page is not None:
            return page

    def work(session):
        services.cancel_pledge(
            session,
            actor_id=current_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            reason=form.reason.data,
            now=now(),
        )

    return submit(
        form,
        work,
        done=go_to(
            url_for("pledges.show", pledge_id=pledge_id),
            gettext("The pledge is cancelled. Everyone who pledged has been told; nobody is charged."),
            "info",
        ),
        page=lambda status: pledge_page(pledge_id, status, cancel_form=form),
        guard=lambda: _require_committee(pledge_id),
    )


def _confirm_cancel(pledge_id: int, reason: str):
    """The confirm step; None when the pledge cannot be cancelled (the service then says why)."""
    session = db_session()
    pledge = services.get_pledge(session, pledge_id)
    if pledge.status not in (PledgeStatus.DRAFT, PledgeStatus.OPEN) or not reason.strip():
        return None
    pledgers = signups.active_count(session, pledge)
    told = (
        gettext("Nobody has pledged yet.")
        if pledgers == 0
        else ngettext(
            "The %(num)d person who pledged will be emailed with your reason: “%(reason)s”.",
            "The %(num)d people who pledged will be emailed with your reason: “%(reason)s”.",
            pledgers,
            reason=reason.strip(),
        )
    )
    return confirm_page(
        title=gettext("Cancel the pledge?"),
        consequences=[
            gettext(
                "“%(title)s” will close for good: nobody can pledge to it again and it cannot be reopened.",
                title=pledge.title,
            ),
            told,
            gettext("Nobody is charged."),
        ],
        action=url_for("pledges.cancel", pledge_id=pledge_id),
        button=gettext("Yes, cancel the pledge"),
        back=url_for("pledges.show", pledge_id=pledge_id),
        back_label=gettext("No, keep the pledge open"),
        hidden={"reason": reason},
    )


@bp.post("/p/<int:pledge_id>/updates")
@login_required
def post_update(pledge_id: int):
    """Post news (creator or committee); it is emailed to everyone who has pledged."""
    form = UpdateForm()

    def work(session):
        extras.post_update(
            session,
            actor_id=current_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            body=form.body.data,
            now=now(),
        )

    def guard():
        if services.get_pledge(db_session(), pledge_id).creator_id != current_user_id():
            _require_committee(pledge_id)

    return submit(
        form,
        work,
        done=go_to(
            url_for("pledges.show", pledge_id=pledge_id),
            gettext("Your update is posted and emailed to everyone who has pledged."),
        ),
        page=lambda status: pledge_page(pledge_id, status, update_form=form),
        guard=guard,
    )


@bp.post("/p/<int:pledge_id>/offers")
@login_required
def add_offer(pledge_id: int):
    """Record a sponsor's match offer (committee)."""
    pledge = services.get_pledge(db_session(), pledge_id)
    form = OfferForm(currency=pledge.currency)

    def work(session):
        extras.add_match_offer(
            session,
            actor_id=current_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            sponsor_name=form.sponsor_name.data,
            ratio=form.ratio.data,
            cap=form.cap_amount,
            now=now(),
        )

    def done(_):
        flash(
            gettext("The offer from %(strip)s is recorded.", strip=form.sponsor_name.data.strip()), "success"
        )
        return _back(pledge_id)

    return submit(
        form,
        work,
        done=done,
        page=lambda status: pledge_page(pledge_id, status, offer_form=form),
        guard=lambda: _require_committee(pledge_id),
    )


def _into() -> str:
    into = INTO.get(request.form.get("into", ""))
    if into is None:
        raise InvalidInput.field("into", gettext("Choose cash or bank transfer."))
    return into


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
            raise InvalidInput.field("offer", gettext("That offer belongs to another pledge."))
        name = offer.sponsor_name
    flash(gettext("Recorded: %(name)s has paid.", name=name), "success")
    return _back(pledge_id)
