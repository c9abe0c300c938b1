"""Building the application page: what the viewer may see and do on it, and the forms in their places."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, render_template
from wtforms.fields.choices import SelectChoice

from pledgebank import money_words
from pledgebank.accounts.names import names_of
from pledgebank.books.services import book_of
from pledgebank.grants import access, applications, decisions, payments, queries, reports, reviews, rounds
from pledgebank.grants.states import COMMITTED, LABELS, ApplicationAction, ApplicationStatus, PaymentStatus
from pledgebank.grants.states import allows as state_allows
from pledgebank.grants.web.tool_forms import (
    DeciderForm,
    DecisionForm,
    DeclareForm,
    PaymentForm,
    ReconsiderForm,
    ReduceForm,
    ReportForm,
    review_form,
)
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.web.auth import current_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now

PREFIXES = {
    "declare_form": "declare",
    "review_form": "review",
    "decider_form": "decider",
    "decision_form": "decision",
    "reduce_form": "reduce",
    "reconsider_form": "reconsider",
    "payment_form": "payment",
    "report_form": "report",
}
S = ApplicationStatus


def new_form(name: str, application, formdata=None):
    """One of the application page's forms, with its prefix, empty unless formdata is given."""
    prefix, currency = PREFIXES[name], application.currency
    if name == "review_form":
        return review_form(application.round.criteria, formdata=formdata, prefix=prefix, currency=currency)
    kinds = {
        "declare_form": DeclareForm,
        "decider_form": DeciderForm,
        "decision_form": DecisionForm,
        "reduce_form": ReduceForm,
        "reconsider_form": ReconsiderForm,
        "payment_form": PaymentForm,
        "report_form": ReportForm,
    }
    return kinds[name](formdata=formdata, prefix=prefix, currency=currency)


def fill_choices(session, name: str, form, application) -> None:
    """Choices that depend on the neighbourhood: committee members for the decider, rounds to move to."""
    if name == "decider_form":
        committee = access.committee_ids(session, application.neighbourhood_id)
        free = committee - access.conflicted_ids(session, application)
        form.member.choices = [
            SelectChoice(str(uid), label) for uid, label in sorted(names_of(session, free).items())
        ]
    elif name == "reconsider_form":
        form.round.choices = [
            SelectChoice(str(r.id), r.title)
            for r in rounds.list_rounds(session, neighbourhood_id=application.neighbourhood_id)
        ]


def application_page(application_id: int, status: int = 200, **forms):
    """Render the application page (with any submitted form's errors in place)."""
    session, user_id = db_session(), current_user_id()
    application = applications.get_application(session, application_id)
    access.require_view(session, application, user_id)
    neighbourhood = session.get_one(Neighbourhood, application.neighbourhood_id)
    allowed = allowed_actions(neighbourhood.id)
    conflicted = access.is_conflicted(session, application, user_id)
    payment = payments.payment_of(session, application.id)
    report = reports.report_of(session, application.id)
    tools = _tools(session, application, allowed, user_id, conflicted, payment, report)
    review_lines = reviews.visible_reviews(session, application, user_id)
    context = {
        "application": application,
        "grant_round": application.round,
        "neighbourhood": neighbourhood,
        "allowed": allowed,
        "labels": LABELS,
        "is_applicant": user_id == application.applicant_id,
        "committee": allowed["review_grants"],
        "declaration": access.declarations(session, application.id).get(user_id)
        if user_id is not None
        else None,
        "conflicted": conflicted,
        "quorum": reviews.quorum_of(session, application) if allowed["view_grant_applications"] else None,
        "reviews": review_lines,
        "sees_scores": access.can_see_scores(session, application, user_id),
        "caps": decisions.caps_for(session, application) if tools["decide"] else None,
        "payment": payment,
        "report": report,
        "threshold": current_app.config["GRANT_SECOND_APPROVAL_ABOVE"],
        "last_sequence": queries.last_sequence(session, book_of(session, neighbourhood.id).id),
        "tools": tools,
        **_ledger_and_people(session, application, payment, report),
        **_page_forms(session, application, forms, review_lines, user_id),
    }
    return render_template("grants/application.html", **context), status


def _tools(session, application, allowed, user_id, conflicted: bool, payment, report) -> dict[str, bool]:
    """Which of the page's forms and buttons the signed-in person gets, by role, state and conflicts."""
    state, committee = application.status, allowed["review_grants"]
    declared_none = access.has_declared_no_interest(session, application, user_id)
    may_decide = decisions.may_decide(session, application, user_id)
    return {
        "edit": user_id == application.applicant_id and state == S.DRAFT,
        "withdraw": user_id == application.applicant_id and state_allows(state, ApplicationAction.WITHDRAW),
        "report": user_id == application.applicant_id and state == S.PAID,
        "declare": committee and user_id != application.applicant_id and state not in (S.DRAFT, S.WITHDRAWN),
        "score": committee and declared_none and state_allows(state, ApplicationAction.REVIEW),
        "name_decider": allowed["decide_grants"] and state in (S.SUBMITTED, S.UNDER_REVIEW, S.DEFERRED),
        "decide": may_decide and state == S.UNDER_REVIEW,
        "reduce": may_decide and state in COMMITTED and payment is None,
        "reconsider": may_decide and state == S.DEFERRED,
        "pay": allowed["record_payment"] and not conflicted and state in COMMITTED and payment is None,
        "approve": allowed["approve_grant_payment"]
        and declared_none
        and payment is not None
        and payment.status == PaymentStatus.AWAITING_APPROVAL
        and payment.recorded_by_id != user_id,
        "return": allowed["record_payment"]
        and not conflicted
        and report is not None
        and report.unspent > 0
        and report.return_transaction_id is None,
    }


def _ledger_and_people(session, application, payment, report) -> dict:
    """The ledger sequence of each transaction the application made, and the names of who acted on it."""
    transaction_ids = [d.transaction_id for d in application.decisions]
    transaction_ids += [d.reversal_transaction_id for d in application.decisions]
    transaction_ids += [
        payment.transaction_id if payment else None,
        report.return_transaction_id if report else None,
    ]
    people = [
        application.applicant_id,
        application.decider_id,
        *(d.decided_by_id for d in application.decisions),
    ]
    if payment:
        people += [payment.recorded_by_id, payment.approved_by_id]
    return {"sequences": queries.sequences(session, transaction_ids), "names": names_of(session, people)}


def _page_forms(session, application, forms: dict, review_lines, user_id) -> dict:
    """Every form of the page: the one submitted (with its errors), the others new or from saved values."""
    page_forms = {}
    for name in PREFIXES:
        form = forms.get(name) or new_form(name, application)
        fill_choices(session, name, form, application)
        page_forms[name] = form
    if "payment_form" not in forms:
        page_forms["payment_form"].paid_on.data = now().astimezone(_zone()).date().isoformat()
    own = next((line for line in review_lines if line.member_id == user_id), None)
    if own is not None and "review_form" not in forms:
        _fill_review(page_forms["review_form"], own, application.currency)
    return page_forms


def _fill_review(form, own: reviews.ReviewLine, currency: str) -> None:
    """Start the review form from the member's saved review, to revise it."""
    for criterion_id, value in own.scores.items():
        field = getattr(form, f"score_{criterion_id}", None)
        if field is not None:
            field.data = str(value)
    form.recommendation.data = own.recommendation
    if own.recommended_amount:
        form.recommended_amount.data = money_words.plain(own.recommended_amount, currency)
    form.comment.data = own.comment


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])
