"""What a document can be attached to, and who may see or attach it.

- a treasurer entry (a supplier payment, a donation, bank charges... any entry on the "Record money" page):
  seen by those who may see the ledger (the committee, the treasurer, the chair), attached by those who
  record money (the treasurer and the chair);
- a grant payment: the same, and its applicant sees the documents of their own grant;
- a grantee's report: the same, and its applicant may attach evidence to it too.

Documents are never public, even where the payment is listed on the neighbourhood's open money page: an
invoice or a receipt carries names, addresses and bank details of suppliers and grantees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from pledgebank.books.models import Book
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.documents.models import Subject
from pledgebank.errors import Forbidden, NotAuthenticated, NotFound
from pledgebank.grants.models import GrantApplication, GrantPayment, GrantReport
from pledgebank.grants.payments import payment_of
from pledgebank.policy import Action, can


@dataclass(frozen=True, slots=True)
class SubjectInfo:
    """The facts about a subject that documents need."""

    subject: Subject
    subject_id: int
    neighbourhood_id: int
    on: date
    amount: int
    title: str
    applicant_id: int | None
    application_id: int | None
    transaction_id: int | None


def _of_entry(session: Session, subject_id: int) -> SubjectInfo | None:
    entry = session.get(TreasurerEntry, subject_id)
    if entry is None:
        return None
    book = session.get_one(Book, entry.book_id)
    return SubjectInfo(
        Subject.TREASURER_ENTRY,
        entry.id,
        book.neighbourhood_id,
        entry.effective_date,
        entry.amount + entry.cash_amount,
        entry.description,
        None,
        None,
        entry.transaction_id,
    )


def _of_grant(session: Session, subject: Subject, subject_id: int) -> SubjectInfo | None:
    row: GrantPayment | GrantReport | None = (
        session.get(GrantPayment, subject_id)
        if subject == Subject.GRANT_PAYMENT
        else session.get(GrantReport, subject_id)
    )
    if row is None:
        return None
    application = session.get_one(GrantApplication, row.application_id)
    if isinstance(row, GrantPayment):
        payment: GrantPayment | None = row
        on, amount, title = row.paid_on, row.amount, f"Grant payment: {application.title}"
    else:
        payment = payment_of(session, application.id)
        on, amount = row.submitted_at.date(), row.amount_spent
        title = f"Grantee's report: {application.title}"
    return SubjectInfo(
        subject,
        row.id,
        application.neighbourhood_id,
        on,
        amount,
        title,
        application.applicant_id,
        application.id,
        payment.transaction_id if payment is not None else None,
    )


def subject_info(session: Session, subject: Subject, subject_id: int) -> SubjectInfo:
    """The subject's facts; NotFound when there is no such thing."""
    found = (
        _of_entry(session, subject_id)
        if subject == Subject.TREASURER_ENTRY
        else _of_grant(session, subject, subject_id)
    )
    if found is None:
        raise NotFound("There is no such payment or report.")
    return found


def may_view(session: Session, info: SubjectInfo, user_id: int | None) -> bool:
    """Whether the user may see the subject's documents."""
    if user_id is not None and user_id == info.applicant_id:
        return True
    return can(session, user_id, info.neighbourhood_id, Action.VIEW_LEDGER)


def may_attach(session: Session, info: SubjectInfo, user_id: int | None) -> bool:
    """Whether the user may attach a document to the subject."""
    if info.subject == Subject.GRANT_REPORT and user_id is not None and user_id == info.applicant_id:
        return can(session, user_id, info.neighbourhood_id, Action.APPLY_FOR_GRANT)
    return can(session, user_id, info.neighbourhood_id, Action.RECORD_MONEY)


def require_view(session: Session, info: SubjectInfo, user_id: int | None) -> None:
    """Raise NotAuthenticated or Forbidden unless the user may see the subject's documents."""
    if user_id is None:
        raise NotAuthenticated()
    if not may_view(session, info, user_id):
        raise Forbidden()


def require_attach(session: Session, info: SubjectInfo, user_id: int | None) -> None:
    """Raise NotAuthenticated or Forbidden unless the user may attach a document to the subject."""
    if user_id is None:
        raise NotAuthenticated()
    if not may_attach(session, info, user_id):
        raise Forbidden("Only the treasurer, the chair or (to a report) the grantee may attach documents.")
