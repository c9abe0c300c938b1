"""Reads of documents for pages, exports and the examiner's checklist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.documents.models import Document, Subject
from pledgebank.documents.withdrawals import not_withdrawn
from pledgebank.errors import NotFound
from pledgebank.grants.models import GrantApplication, GrantPayment, GrantReport
from pledgebank.grants.states import PaymentStatus


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document as an export names it."""

    id: int
    filename: str
    sha256: str
    size: int
    media_type: str
    kind: str


@dataclass(frozen=True, slots=True)
class UnsupportedPayment:
    """A supplier or grant payment, as the examiner's checklist names it (with no document attached, when
    `payments_without_documents` lists it)."""

    subject: Subject
    subject_id: int
    on: date
    amount: int
    words: str
    transaction_id: int | None
    application_id: int | None


def documents_of(session: Session, subject: Subject, subject_id: int) -> list[Document]:
    """The subject's documents, oldest first."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.subject_type == subject, Document.subject_id == subject_id)
            .order_by(Document.id)
        )
    )


def get_document(session: Session, document_id: int) -> Document:
    """The document; NotFound otherwise."""
    found = session.get(Document, document_id)
    if found is None:
        raise NotFound("There is no such document.")
    return found


def _ref(document: Document) -> DocumentRef:
    return DocumentRef(
        document.id,
        document.filename,
        document.sha256,
        document.size,
        document.media_type,
        document.kind.value,
    )


def references_by_sequence(
    session: Session, book: Book, sequences: Iterable[int]
) -> dict[int, list[DocumentRef]]:
    """The documents supporting each of these ledger transactions (by sequence number), oldest first.

    A treasurer entry's and a grant payment's documents support their own transaction; the documents on a
    grantee's report support the grant's payment.
    """
    wanted = set(sequences)
    found: dict[int, list[DocumentRef]] = defaultdict(list)
    if not wanted:
        return found
    d, e, p, r, t = Document, TreasurerEntry, GrantPayment, GrantReport, LedgerTransaction
    in_book = (t.book_id == book.id) & t.sequence.in_(wanted) & (d.neighbourhood_id == book.neighbourhood_id)
    queries = (
        select(t.sequence, d)
        .join(e, (d.subject_type == Subject.TREASURER_ENTRY) & (d.subject_id == e.id))
        .join(t, t.id == e.transaction_id)
        .where(in_book),
        select(t.sequence, d)
        .join(p, (d.subject_type == Subject.GRANT_PAYMENT) & (d.subject_id == p.id))
        .join(t, t.id == p.transaction_id)
        .where(in_book),
        select(t.sequence, d)
        .join(r, (d.subject_type == Subject.GRANT_REPORT) & (d.subject_id == r.id))
        .join(p, p.application_id == r.application_id)
        .join(t, t.id == p.transaction_id)
        .where(in_book),
    )
    rows = [row for query in queries for row in session.execute(query)]
    for sequence, document in sorted(rows, key=lambda row: row[1].id):
        found[sequence].append(_ref(document))
    return found


def payments_without_documents(
    session: Session, book_id: int, start: date, end: date
) -> list[UnsupportedPayment]:
    """Supplier payments and grant payments dated from start to end (inclusive) with no document attached.

    A grant payment counts as supported by a document on it or on its grantee's report; a withdrawn document
    supports nothing. Payments still
    waiting for a second approver are included: they are payments all the same. In date order.
    """
    return payments_between(session, book_id, start, end, only_unsupported=True)


def payments_between(
    session: Session, book_id: int, start: date, end: date, *, only_unsupported: bool = False
) -> list[UnsupportedPayment]:
    """Supplier payments and grant payments dated from start to end (inclusive), in date order; with
    `only_unsupported`, those with no document (see `payments_without_documents`)."""
    book = session.get_one(Book, book_id)
    d = Document
    entry_docs = select(d.subject_id).where(d.subject_type == Subject.TREASURER_ENTRY, not_withdrawn(d))
    payment_docs = select(d.subject_id).where(d.subject_type == Subject.GRANT_PAYMENT, not_withdrawn(d))
    report_docs = select(GrantReport.application_id).join(
        d, (d.subject_type == Subject.GRANT_REPORT) & (d.subject_id == GrantReport.id) & not_withdrawn(d)
    )
    entry_query = select(TreasurerEntry).where(
        TreasurerEntry.book_id == book.id,
        TreasurerEntry.kind == SUPPLIER_PAYMENT,
        TreasurerEntry.effective_date.between(start, end),
    )
    grant_query = (
        select(GrantPayment, GrantApplication)
        .join(GrantApplication, GrantApplication.id == GrantPayment.application_id)
        .where(
            GrantApplication.neighbourhood_id == book.neighbourhood_id,
            GrantPayment.paid_on.between(start, end),
            GrantPayment.status.in_([PaymentStatus.PAID, PaymentStatus.AWAITING_APPROVAL]),
        )
    )
    if only_unsupported:
        entry_query = entry_query.where(TreasurerEntry.id.not_in(entry_docs))
        grant_query = grant_query.where(
            GrantPayment.id.not_in(payment_docs), GrantPayment.application_id.not_in(report_docs)
        )
    found = [
        UnsupportedPayment(
            Subject.TREASURER_ENTRY,
            entry.id,
            entry.effective_date,
            entry.amount + entry.cash_amount,
            f"Payment to {entry.payee}: {entry.purpose or entry.description}",
            entry.transaction_id,
            None,
        )
        for entry in session.scalars(entry_query)
    ]
    found.extend(
        UnsupportedPayment(
            Subject.GRANT_PAYMENT,
            payment.id,
            payment.paid_on,
            payment.amount,
            f"Grant: {application.title}",
            payment.transaction_id,
            application.id,
        )
        for payment, application in session.execute(grant_query)
    )
    return sorted(found, key=lambda item: (item.on, item.subject.value, item.subject_id))
