"""The tools on an application page: declaring and scoring (committee), naming the decider and deciding
(chair), paying and approving payments (treasurer and a second member), reporting (grantee), and recording
unspent money returned (treasurer)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.errors import InvalidInput
from pledgebank.grants import amendments, applications, decisions, payments, reports, reviews
from pledgebank.grants.web.blueprint import bp
from pledgebank.grants.web.pages import application_page, fill_choices, new_form
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def _tool(application_id: int, name: str, action: Action, work: Callable, done: str):
    """Validate the tool's form, run the work in one unit of work, and go back to the page (or show errors).

    Someone who may not use the tool at all is refused (403) before being told what was wrong with the form.
    """
    session = db_session()
    application = applications.get_application(session, application_id)
    form = new_form(name, application, request.form)
    fill_choices(session, name, form, application)
    return submit(
        form,
        lambda session: work(session, form),
        done=go_to(url_for("grants.show_application", application_id=application_id), done),
        page=lambda status: application_page(application_id, status, **{name: form}),
        guard=lambda: require(db_session(), current_user_id(), application.neighbourhood_id, action),
    )


@bp.post("/grants/applications/<int:application_id>/declare")
@login_required
def declare(application_id: int):
    """Declare an interest (committee)."""

    def work(session, form):
        reviews.declare_interest(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            interest=form.interest.data,
            reason=form.reason.data or "",
            now=now(),
        )

    return _tool(
        application_id, "declare_form", Action.REVIEW_GRANTS, work, _("Your declaration is recorded.")
    )


@bp.post("/grants/applications/<int:application_id>/review")
@login_required
def review(application_id: int):
    """Score the application and recommend an outcome (committee members without a conflict)."""

    def work(session, form):
        criteria = applications.get_application(session, application_id).round.criteria
        reviews.submit_review(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            scores={c.id: int(getattr(form, f"score_{c.id}").data) for c in criteria},
            recommendation=form.recommendation.data,
            recommended_amount=form.parsed.get("recommended_amount"),
            comment=form.comment.data or "",
            now=now(),
        )

    return _tool(application_id, "review_form", Action.REVIEW_GRANTS, work, _("Your review is saved."))


@bp.post("/grants/applications/<int:application_id>/decider")
@login_required
def name_decider(application_id: int):
    """Name the member who records the decision (chair)."""

    def work(session, form):
        decisions.name_decider(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            member_id=int(form.member.data),
            now=now(),
        )

    return _tool(
        application_id, "decider_form", Action.DECIDE_GRANTS, work, _("The member who decides is named.")
    )


@bp.post("/grants/applications/<int:application_id>/decide")
@login_required
def decide(application_id: int):
    """Record the decision (the chair or the member named); the applicant is emailed."""

    def work(session, form):
        decisions.decide(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            outcome=form.outcome.data,
            amount=form.parsed.get("amount"),
            reason=form.reason.data or "",
            defer_until=form.parsed.get("defer_until"),
            defer_to_next_round=bool(form.next_round.data),
            now=now(),
            zone=_zone(),
        )

    done = _("The decision is recorded and the applicant has been emailed.")
    return _tool(application_id, "decision_form", Action.REVIEW_GRANTS, work, done)


@bp.post("/grants/applications/<int:application_id>/reduce")
@login_required
def reduce(application_id: int):
    """Lower an award before it is paid (the chair or the member named)."""

    def work(session, form):
        amendments.reduce_award(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            amount=form.parsed["amount"],
            reason=form.reason.data,
            now=now(),
            zone=_zone(),
        )

    return _tool(application_id, "reduce_form", Action.REVIEW_GRANTS, work, _("The award is reduced."))


@bp.post("/grants/applications/<int:application_id>/reconsider")
@login_required
def reconsider(application_id: int):
    """Take a deferred application back under review (the chair or the member named)."""

    def work(session, form):
        amendments.reconsider(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            round_id=int(form.round.data),
            now=now(),
        )

    return _tool(application_id, "reconsider_form", Action.REVIEW_GRANTS, work, _("It is back under review."))


@bp.post("/grants/applications/<int:application_id>/payment")
@login_required
def pay(application_id: int):
    """Record paying the award (treasurer); above the threshold it waits for a second member's approval."""
    recorded = {}

    def work(session, form):
        recorded["payment"] = payments.record_payment(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            paid_on=form.parsed.get("paid_on"),
            method=form.method.data,
            reference=form.reference.data or "",
            threshold=current_app.config["GRANT_SECOND_APPROVAL_ABOVE"],
            now=now(),
            zone=_zone(),
        )
        recorded["status"] = recorded["payment"].status

    response = _tool(
        application_id, "payment_form", Action.RECORD_PAYMENT, work, _("The payment is recorded.")
    )
    if recorded.get("status") == "awaiting_approval":
        flash(
            _(
                "It is above the amount that needs a second approval: another committee member must approve "
                "it."
            )
        )
    return response


@bp.post("/grants/applications/<int:application_id>/payment/approve")
@login_required
def approve(application_id: int):
    """Approve a payment recorded by the treasurer (a second committee member), and it is paid."""
    with transaction() as session:
        payments.approve_payment(
            session, actor_id=signed_in_user_id(), application_id=application_id, now=now()
        )
    flash(_("The payment is approved and recorded in the ledger."), "success")
    return redirect(url_for("grants.show_application", application_id=application_id))


@bp.post("/grants/applications/<int:application_id>/report")
@login_required
def report(application_id: int):
    """The grantee's report: spent, what happened, and how much it helped."""

    def work(session, form):
        reports.submit_report(
            session,
            actor_id=current_user_id(),
            application_id=application_id,
            amount_spent=form.parsed.get("amount_spent"),
            what_happened=form.what_happened.data,
            rating=int(form.rating.data),
            now=now(),
        )

    return _tool(
        application_id, "report_form", Action.APPLY_FOR_GRANT, work, _("Thank you: your report is sent.")
    )


@bp.post("/grants/applications/<int:application_id>/return")
@login_required
def record_return(application_id: int):
    """The unspent money is back with the treasurer (bank or cash)."""
    into = request.form.get("into", "")
    if into not in reports.RETURN_INTO:
        raise InvalidInput.field("into", "Choose bank or cash.")
    with transaction() as session:
        reports.record_return(
            session,
            actor_id=signed_in_user_id(),
            application_id=application_id,
            into=into,
            now=now(),
            zone=_zone(),
        )
    flash(_("The unspent money is recorded as returned to the fund."), "success")
    return redirect(url_for("grants.show_application", application_id=application_id))
