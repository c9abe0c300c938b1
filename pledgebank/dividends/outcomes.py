"""After an agreement is signed: the neighbourhood's evidence, the verifier's verification or dispute (and the
committee's answer), the dividend earned (a receivable from the body in the ledger), the body's bank transfer
recorded by the treasurer, and the close.

Verifying takes the agreement's row lock and posts under an idempotency key of the agreement's, so two clicks
at once earn once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.services import book_of, check_open, post
from pledgebank.dividends.agreements import get_agreement
from pledgebank.dividends.models import DividendAgreement, DividendEvidence, DividendReview
from pledgebank.dividends.states import AgreementAction, AgreementStatus, next_status
from pledgebank.dividends.terms import payment
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.policy import Action, require

MAX_TEXT = 4_000


def _audit(session: Session, agreement: DividendAgreement, action: str, now: datetime, actor_id, **after):
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=agreement.neighbourhood_id,
        action=action,
        subject=("dividend_agreement", agreement.id),
        now=now,
        after=after,
    )


def submit_evidence(
    session: Session,
    *,
    actor_id: int,
    agreement_id: int,
    period: str,
    value: int | None,
    notes: str,
    now: datetime,
    today: date,
) -> DividendEvidence:
    """The committee reports the outcome's figure for a period (before the deadline)."""
    agreement = get_agreement(session, agreement_id, lock=True)
    require(session, actor_id, agreement.neighbourhood_id, Action.MANAGE_DIVIDENDS)
    errors: dict[str, list[str]] = {}
    if not period or len(period) > 60:
        errors["period"] = ["Name the period, in up to 60 characters (say 'April to June 2027')."]
    if value is None:
        errors["value"] = [f"Give the figure, in {agreement.outcome_unit}."]
    if len(notes) > MAX_TEXT:
        errors["notes"] = [f"Use at most {MAX_TEXT} characters."]
    if today > agreement.deadline:
        errors["period"] = [
            f"The deadline was {agreement.deadline:%-d %B %Y}: evidence can no longer be given."
        ]
    if errors:
        raise InvalidInput(fields=errors)
    assert value is not None
    agreement.status = next_status(agreement.status, AgreementAction.SUBMIT_EVIDENCE)
    if any(e.period == period for e in agreement.evidence):
        raise Conflict("There is a figure for that period already.", fields={"period": ["Already given."]})
    evidence = DividendEvidence(
        agreement_id=agreement.id,
        period=period,
        value=value,
        notes=notes,
        submitted_by_id=actor_id,
        submitted_at=now,
    )
    session.add(evidence)
    agreement.updated_at = now
    _audit(session, agreement, "dividend.evidence_submitted", now, actor_id, period=period, value=value)
    return evidence


def verify(
    session: Session, *, agreement_id: int, email: str, name: str, now: datetime, today: date
) -> DividendAgreement:
    """The body's verifier verifies the evidence: the terms give the amount, raised as a receivable from the
    body (or, when the outcome earns nothing, the agreement closes)."""
    agreement = get_agreement(session, agreement_id, lock=True)
    _require_verifier(agreement, email)
    agreement.status = next_status(agreement.status, AgreementAction.VERIFY)
    value = agreement.latest_value
    assert value is not None  # evidence came before verification
    amount = payment(agreement.terms, value)
    agreement.outcome_value, agreement.earned_amount, agreement.updated_at = value, amount, now
    session.add(DividendReview(agreement_id=agreement.id, decision="verified", by_name=name, at=now))
    _audit(session, agreement, "dividend.verified", now, None, by=name, outcome=value, amount=amount)
    if amount == 0:
        agreement.status = next_status(agreement.status, AgreementAction.CLOSE)
        return agreement
    book = book_of(session, agreement.neighbourhood_id)
    entry = rules.dividend_earned(
        amount=Money(amount, agreement.currency),
        fund=agreement.fund.slug,
        key=f"dividend-earned:{agreement.id}",
        on=today,
        source={"dividend_agreement": agreement.id},
    )
    agreement.earned_transaction_id = post(session, book=book, entry=entry, now=now).transaction.id
    return agreement


def _require_verifier(agreement: DividendAgreement, email: str) -> None:
    if email != agreement.verifier_email:
        raise Conflict(f"Only the verifier named in this agreement, {agreement.verifier_name}, can do that.")


def dispute(
    session: Session, *, agreement_id: int, email: str, name: str, reasons: str, now: datetime
) -> DividendAgreement:
    """The verifier disputes the evidence, with reasons the committee can answer."""
    agreement = get_agreement(session, agreement_id, lock=True)
    _require_verifier(agreement, email)
    reasons = reasons.strip()
    if not reasons or len(reasons) > MAX_TEXT:
        raise InvalidInput.field("reasons", "Say why the evidence is disputed (up to 4,000 characters).")
    agreement.status = next_status(agreement.status, AgreementAction.DISPUTE)
    session.add(
        DividendReview(agreement_id=agreement.id, decision="disputed", reasons=reasons, by_name=name, at=now)
    )
    agreement.updated_at = now
    _audit(session, agreement, "dividend.disputed", now, None, by=name)
    return agreement


def answer(
    session: Session, *, actor_id: int, agreement_id: int, reply: str, now: datetime
) -> DividendAgreement:
    """The committee answers a dispute; the verifier can then verify (or dispute again)."""
    agreement = get_agreement(session, agreement_id, lock=True)
    require(session, actor_id, agreement.neighbourhood_id, Action.MANAGE_DIVIDENDS)
    reply = reply.strip()
    if not reply or len(reply) > MAX_TEXT:
        raise InvalidInput.field("reply", "Give your answer to the dispute (up to 4,000 characters).")
    agreement.status = next_status(agreement.status, AgreementAction.ANSWER)
    session.add(
        DividendReview(
            agreement_id=agreement.id,
            decision="answered",
            reasons=reply,
            by_name="The committee",
            user_id=actor_id,
            at=now,
        )
    )
    agreement.updated_at = now
    _audit(session, agreement, "dividend.answered", now, actor_id)
    return agreement


def record_payment(
    session: Session,
    *,
    actor_id: int,
    agreement_id: int,
    paid_on: date | None,
    reference: str,
    now: datetime,
    today: date,
) -> DividendAgreement:
    """The treasurer records the body's bank transfer of the earned dividend: receivable into the bank."""
    agreement = get_agreement(session, agreement_id)
    require(session, actor_id, agreement.neighbourhood_id, Action.RECORD_PAYMENT)
    reference = reference.strip()
    if paid_on is None:
        raise InvalidInput.field("paid_on", "Give the date the money arrived.")
    if paid_on > today:
        raise InvalidInput.field("paid_on", "The date cannot be in the future.")
    if len(reference) > 60:
        raise InvalidInput.field("reference", "Use at most 60 characters.")
    book = book_of(session, agreement.neighbourhood_id)
    check_open(session, book, paid_on, field="paid_on")
    agreement = get_agreement(session, agreement_id, lock=True)
    agreement.status = next_status(agreement.status, AgreementAction.PAY)
    assert agreement.earned_amount  # an earned agreement earned something
    entry = rules.dividend_received(
        amount=Money(agreement.earned_amount, agreement.currency),
        fund=agreement.fund.slug,
        key=f"dividend-received:{agreement.id}",
        on=paid_on,
        source={"dividend_agreement": agreement.id},
        actor_id=actor_id,
    )
    agreement.received_transaction_id = post(session, book=book, entry=entry, now=now).transaction.id
    agreement.paid_on, agreement.paid_reference, agreement.updated_at = paid_on, reference, now
    _audit(session, agreement, "dividend.paid", now, actor_id, amount=agreement.earned_amount)
    return agreement


def close(session: Session, *, actor_id: int, agreement_id: int, now: datetime) -> DividendAgreement:
    """The committee closes a paid agreement."""
    agreement = get_agreement(session, agreement_id, lock=True)
    require(session, actor_id, agreement.neighbourhood_id, Action.MANAGE_DIVIDENDS)
    if agreement.status == AgreementStatus.EARNED:
        raise Conflict("The body has not paid yet: record its payment first.")
    agreement.status = next_status(agreement.status, AgreementAction.CLOSE)
    agreement.updated_at = now
    _audit(session, agreement, "dividend.closed", now, actor_id)
    return agreement
