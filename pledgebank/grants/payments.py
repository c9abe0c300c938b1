"""Paying awards: the treasurer records the payment; above a threshold a second committee member approves it
before it reaches the ledger (`grant_paid`: grants payable against the bank, or cash). Paying takes the fund's
lock before the application's, in the order every path spending a fund's money keeps (see funds.lock_fund)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.services import book_of, check_open, post
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.grants import access, funds
from pledgebank.grants.applications import get_application, tell_applicant
from pledgebank.grants.models import GrantApplication, GrantPayment
from pledgebank.grants.states import (
    ApplicationAction,
    PaymentStatus,
    next_status,
    payment_status_after_recording,
)
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.policy import Action, require
from pledgebank.text import _t

METHODS: dict[str, str] = {"bank_transfer": chart.BANK, "cheque": chart.BANK, "cash": chart.CASH}


def payment_of(session: Session, application_id: int, *, lock: bool = False) -> GrantPayment | None:
    """The application's payment, if one is recorded."""
    statement = select(GrantPayment).where(GrantPayment.application_id == application_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalar(statement)


def _check(method: str, reference: str, paid_on: date | None, application: GrantApplication, today: date):
    errors: dict[str, list[str]] = {}
    if method not in METHODS:
        errors["method"] = ["Choose bank transfer, cheque or cash."]
    if method != "cash" and not 1 <= len(reference) <= 60:
        errors["reference"] = ["Give the bank reference or cheque number (up to 60 characters)."]
    if len(reference) > 60:
        errors["reference"] = ["Use at most 60 characters."]
    if paid_on is None:
        errors["paid_on"] = ["Give the date it was paid."]
    elif paid_on > today:
        errors["paid_on"] = ["The payment date cannot be in the future."]
    elif application.award_date and paid_on < application.award_date:
        errors["paid_on"] = ["The payment date cannot be before the award."]
    if errors:
        raise InvalidInput(fields=errors)


def record_payment(
    session: Session,
    *,
    actor_id: int,
    application_id: int,
    paid_on: date | None,
    method: str,
    reference: str,
    threshold: int,
    now: datetime,
    zone: str,
) -> GrantPayment:
    """Record that the treasurer paid the award; it posts at once unless it is above the threshold.

    A treasurer who applied, or declared a conflict, cannot pay the grant.
    """
    application = get_application(session, application_id)
    require(session, actor_id, application.neighbourhood_id, Action.RECORD_PAYMENT)
    if access.is_conflicted(session, application, actor_id):
        raise Forbidden("You have a conflict of interest in this application, so you cannot pay it.")
    reference = (reference or "").strip()
    _check(method, reference, paid_on, application, now.astimezone(ZoneInfo(zone)).date())
    assert paid_on is not None  # _check refused a payment without a date
    check_open(session, book_of(session, application.neighbourhood_id), paid_on, field="paid_on")
    funds.lock_fund(session, application.round.fund_id)  # before the application: see lock_fund
    application = get_application(session, application_id, lock=True)
    next_status(application.status, ApplicationAction.PAY)
    if payment_of(session, application.id) is not None:
        raise Conflict("A payment of this award is already recorded.")
    assert application.awarded_amount is not None  # an application that may be paid has its award
    payment = GrantPayment(
        application_id=application.id,
        amount=application.awarded_amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        status=payment_status_after_recording(application.awarded_amount, threshold).value,
        recorded_by_id=actor_id,
        recorded_at=now,
    )
    session.add(payment)
    session.flush()  # the payment's id names the ledger transaction
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.payment_recorded",
        subject=("grant_payment", payment.id),
        now=now,
        after={"amount": payment.amount, "method": method, "status": payment.status},
    )
    if payment.status == PaymentStatus.PAID:
        _settle(session, application, payment, actor_id, now)
    return payment


def approve_payment(session: Session, *, actor_id: int, application_id: int, now: datetime) -> GrantPayment:
    """A second committee member approves a payment above the threshold, and it posts.

    The approver is on the committee, is not the treasurer who recorded it, and declared no interest.
    """
    application = get_application(session, application_id)
    require(session, actor_id, application.neighbourhood_id, Action.APPROVE_GRANT_PAYMENT)
    access.require_unconflicted(session, application, actor_id, "approve its payment")
    funds.lock_fund(session, application.round.fund_id)  # before the application: see lock_fund
    application = get_application(session, application_id, lock=True)
    payment = payment_of(session, application.id, lock=True)
    if payment is None or payment.status != PaymentStatus.AWAITING_APPROVAL:
        raise Conflict("There is no payment of this grant waiting for approval.")
    if payment.recorded_by_id == actor_id:
        raise Forbidden("A second member must approve it: not the treasurer who recorded the payment.")
    payment.approved_by_id, payment.approved_at = actor_id, now
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.payment_approved",
        subject=("grant_payment", payment.id),
        now=now,
        before={"status": payment.status},
        after={"status": PaymentStatus.PAID.value, "recorded_by": payment.recorded_by_id},
    )
    _settle(session, application, payment, actor_id, now)
    return payment


def _settle(
    session: Session, application: GrantApplication, payment: GrantPayment, actor_id: int, now: datetime
) -> None:
    entry = rules.grant_paid(
        amount=Money(payment.amount, application.currency),
        fund=application.round.fund.slug,
        key=f"grant-payment:{payment.id}",
        on=payment.paid_on,
        source={"grant_application": application.id, "grant_payment": payment.id},
        actor_id=actor_id,
        from_account=METHODS[payment.method],
    )
    posted = post(session, book=book_of(session, application.neighbourhood_id), entry=entry, now=now)
    payment.transaction_id = posted.transaction.id
    payment.status = PaymentStatus.PAID
    application.status = next_status(application.status, ApplicationAction.PAY)
    application.updated_at = now
    tell_applicant(
        session,
        application,
        _t("Your grant is paid: %(title)s", title=application.title),
        "grants/paid",
        {"amount": payment.amount, "method": payment.method},
    )
