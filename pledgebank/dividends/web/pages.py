"""The agreement page, built for every view that shows it (with a tool's form and status after a bad post)."""

from __future__ import annotations

from flask import render_template

from pledgebank.accounts.models import User
from pledgebank.dividends.agreements import get_agreement
from pledgebank.dividends.progress import lay_out
from pledgebank.dividends.queries import received
from pledgebank.dividends.states import AGREEMENTS, AgreementAction
from pledgebank.dividends.terms import OutcomeSource, payment
from pledgebank.dividends.web.forms import AnswerForm, EmptyForm, EvidenceForm, PaymentForm, SignForm
from pledgebank.pulse.results import measure_rounds
from pledgebank.web.auth import current_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session

FORMS = {
    "evidence_form": EvidenceForm,
    "sign_form": SignForm,
    "answer_form": AnswerForm,
    "payment_form": PaymentForm,
    "close_form": EmptyForm,
}


def can(agreement, action: AgreementAction) -> bool:
    """Whether the agreement's state lets the action happen (to show its tool)."""
    return AGREEMENTS.allows(agreement.status, action)


def pulse_rounds(session, agreement) -> list:
    """For a pulse outcome, its measure round by round up to the deadline (nothing for reported figures)."""
    if agreement.outcome_source != OutcomeSource.PULSE:
        return []
    return measure_rounds(session, agreement.neighbourhood_id, agreement.outcome_measure, agreement.deadline)


def agreement_page(agreement_id: int, status: int = 200, **forms):
    """The public page of an agreement, with the tools its reader may use."""
    session = db_session()
    agreement = get_agreement(session, agreement_id)
    for name, form_type in FORMS.items():
        forms.setdefault(name, form_type(currency=agreement.currency))
    figures = [(e.period, e.value) for e in agreement.evidence]
    latest = agreement.latest_value
    signed = {s.party: s for s in agreement.signatures}
    user = session.get(User, current_user_id()) if current_user_id() is not None else None
    email = user.email.lower() if user is not None else None
    return render_template(
        "dividends/show.html",
        agreement=agreement,
        neighbourhood=agreement.neighbourhood,
        allowed=allowed_actions(agreement.neighbourhood_id),
        chart=lay_out(agreement.baseline_value, agreement.target_value, figures),
        due_now=payment(agreement.terms, latest) if latest is not None else 0,
        received=received(agreement),
        signed=signed,
        pulse_rounds=pulse_rounds(session, agreement),
        for_body=email in (agreement.signatory_email, agreement.verifier_email),
        can=lambda action: can(agreement, AgreementAction(action)),
        **forms,
    ), status
