"""The demo's documents: an invoice or receipt for every supplier payment, evidence for every grant payment,
and a receipt photo with every grantee's report, each made in code (a one-page PDF or a small PNG)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.services import book_of
from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.db import unit_of_work
from pledgebank.documents import samples
from pledgebank.documents.models import DocumentKind, Subject
from pledgebank.documents.services import attach_document
from pledgebank.documents.storage import DocumentStore, app_store
from pledgebank.grants.models import GrantApplication, GrantPayment, GrantReport
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood


def _attach(session: Session, store: DocumentStore, app: Flask, actor: int, *what) -> None:
    subject, subject_id, kind, filename, data = what
    attach_document(
        session,
        store,
        actor_id=actor,
        subject=subject,
        subject_id=subject_id,
        kind=kind,
        filename=filename,
        data=data,
        form_key=f"demo-document-{subject.slug}-{subject_id}",
        max_bytes=app.config["DOCUMENT_MAX_BYTES"],
        now=app.extensions["pledgebank.clock"].now(),
    )


def _money(app: Flask, amount: int) -> str:
    return money_words.full(amount, app.config["CURRENCY"], app.config["LOCALE"])


def seed_documents(app: Flask, ids: dict[str, int]) -> None:
    """Attach a document to every demo payment and report."""
    store = app_store(app)
    tom = ids["tom@example.org"]
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        book = book_of(session, place.id)
        entries = session.scalars(
            select(TreasurerEntry)
            .where(TreasurerEntry.book_id == book.id, TreasurerEntry.kind == SUPPLIER_PAYMENT)
            .order_by(TreasurerEntry.id)
        )
        for entry in entries:
            lines = [
                f"INVOICE from {entry.payee}",
                f"To: {place.name}",
                f"Date: {entry.effective_date.isoformat()}",
                f"For: {entry.purpose or entry.description}",
                f"Total due: {_money(app, entry.amount + entry.cash_amount)}",
            ]
            name = f"invoice-{entry.effective_date.isoformat()}-{entry.id}.pdf"
            what = (Subject.TREASURER_ENTRY, entry.id, DocumentKind.INVOICE, name, samples.pdf(lines))
            _attach(session, store, app, tom, *what)
        grants = session.execute(
            select(GrantPayment, GrantApplication)
            .join(GrantApplication, GrantApplication.id == GrantPayment.application_id)
            .where(GrantApplication.neighbourhood_id == place.id)
            .order_by(GrantPayment.id)
        )
        for payment, application in grants:
            lines = [
                f"Grant award letter: {application.title}",
                f"Paid {_money(app, payment.amount)} on {payment.paid_on.isoformat()}",
                f"Reference: {payment.reference}",
            ]
            name = f"grant-{application.id}-award-and-payment.pdf"
            what = (Subject.GRANT_PAYMENT, payment.id, DocumentKind.GRANT_EVIDENCE, name, samples.pdf(lines))
            _attach(session, store, app, tom, *what)
        reports = session.execute(
            select(GrantReport, GrantApplication)
            .join(GrantApplication, GrantApplication.id == GrantReport.application_id)
            .where(GrantApplication.neighbourhood_id == place.id)
            .order_by(GrantReport.id)
        )
        for report, application in reports:
            name = f"grant-{application.id}-receipt-photo.png"
            what = (Subject.GRANT_REPORT, report.id, DocumentKind.RECEIPT, name, samples.png(96, 64))
            _attach(session, store, app, application.applicant_id, *what)
