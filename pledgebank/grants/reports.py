"""After the money: the grantee reports what was spent and what happened, and the treasurer records unspent
money coming back (`grant_returned`: bank or cash against the fund's grants expense, so the fund has it
again)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.services import book_of, post
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.grants import access
from pledgebank.grants.applications import get_application
from pledgebank.grants.models import GrantReport
from pledgebank.grants.states import ApplicationAction, next_status
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.policy import Action, require

RETURN_INTO = {"bank": chart.BANK, "cash": chart.CASH}


def report_of(session: Session, application_id: int, *, lock: bool = False) -> GrantReport | None:
    """The grantee's report, if they have sent it."""
    statement = select(GrantReport).where(GrantReport.application_id == application_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalar(statement)


def submit_report(
    session: Session,
    *,
    actor_id: int,
    application_id: int,
    amount_spent: int | None,
    what_happened: str,
    rating: int | None,
    now: datetime,
) -> GrantReport:
    """The grantee says what they spent, what happened and how much it helped (1 to 5), once paid."""
    application = get_application(session, application_id)
    access.require_applicant(application, actor_id, "report on this grant")
    require(session, actor_id, application.neighbourhood_id, Action.APPLY_FOR_GRANT)
    application = get_application(session, application_id, lock=True)
    status = next_status(application.status, ApplicationAction.REPORT)
    paid = application.awarded_amount or 0
    errors: dict[str, list[str]] = {}
    if amount_spent is None or not 0 <= amount_spent <= paid:
        errors["amount_spent"] = ["Give the amount spent: from nothing up to the grant paid."]
    if not 10 <= len((what_happened or "").strip()) <= 4000:
        errors["what_happened"] = ["Say what happened in 10 to 4000 characters."]
    if rating is None or not 1 <= rating <= 5:
        errors["rating"] = ["Choose how much it helped, from 1 to 5."]
    if errors:
        raise InvalidInput(fields=errors)
    assert amount_spent is not None  # refused above
    report = GrantReport(
        application_id=application.id,
        amount_spent=amount_spent,
        unspent=paid - amount_spent,
        what_happened=what_happened.strip(),
        rating=rating,
        submitted_by_id=actor_id,
        submitted_at=now,
    )
    session.add(report)
    application.status, application.updated_at = status, now
    session.flush()  # an id for the audit event
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.reported",
        subject=("grant_report", report.id),
        now=now,
        after={"amount_spent": amount_spent, "unspent": report.unspent, "rating": rating},
    )
    return report


def record_return(
    session: Session, *, actor_id: int, application_id: int, into: str, now: datetime, zone: str
) -> GrantReport:
    """The treasurer has the unspent money back: it returns to the fund through the ledger."""
    application = get_application(session, application_id)
    require(session, actor_id, application.neighbourhood_id, Action.RECORD_PAYMENT)
    if access.is_conflicted(session, application, actor_id):
        raise Forbidden("You have a conflict of interest in this application.")
    if into not in RETURN_INTO:
        raise InvalidInput.field("into", "Choose bank or cash.")
    application = get_application(session, application_id, lock=True)
    report = report_of(session, application.id, lock=True)
    if report is None or report.unspent <= 0:
        raise Conflict("No unspent money is due back on this grant.")
    if report.return_transaction_id is not None:
        raise Conflict("The unspent money is already recorded as returned.")
    entry = rules.grant_returned(
        amount=Money(report.unspent, application.currency),
        fund=application.round.fund.slug,
        key=f"grant-report:{report.id}:return",
        on=now.astimezone(ZoneInfo(zone)).date(),
        source={"grant_application": application.id, "grant_report": report.id},
        actor_id=actor_id,
        into=RETURN_INTO[into],
    )
    posted = post(session, book=book_of(session, application.neighbourhood_id), entry=entry, now=now)
    report.return_transaction_id = posted.transaction.id
    report.returned_at, report.return_recorded_by_id = now, actor_id
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.unspent_returned",
        subject=("grant_report", report.id),
        now=now,
        after={"amount": report.unspent, "into": RETURN_INTO[into]},
    )
    return report
