"""An appointed examiner reads the bank pages (statements, lines, reconciliations) and the supporting
documents, without a form to change them; every write they try there answers 403, changes nothing and is
recorded in the audit log as refused."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.documents.models import Document, Subject
from pledgebank.statements.models import Reconciliation, Statement
from tests.factories.documents import attach, paid_world, pdf
from tests.factories.examiners import appoint
from tests.factories.grants import world
from tests.factories.statements import (
    YEAR_LAYOUT,
    books_of_the_year,
    lines,
    settle_the_year,
    statement_of_the_year,
    upload,
)
from tests.helpers.app import WebClient, make_user


def _refused(sessions, neighbourhood_id: int) -> list[tuple[str, str]]:
    with unit_of_work(sessions) as session:
        rows = session.scalars(
            select(AuditEvent.after)
            .where(AuditEvent.neighbourhood_id == neighbourhood_id, AuditEvent.action == "examiner.refused")
            .order_by(AuditEvent.id)
        )
        return [(after["method"], after["path"]) for after in rows]


def _count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def _examiner(app, sessions, w) -> WebClient:
    appoint(app, w.chair, w.neighbourhood_id, make_user(sessions, "examiner@example.org", "Helen Marsh"))
    client = WebClient(app.test_client())
    client.login("examiner@example.org")
    return client


def test_the_examiner_reads_the_bank_pages_and_writes_nothing_there(app, sessions):
    w = world(sessions, members=1, residents=0)
    books_of_the_year(app, w.slug)
    upload(app, w.treasurer, w.slug, statement_of_the_year().data, layout=YEAR_LAYOUT)
    settle_the_year(app, w.treasurer, w.slug)
    balance = statement_of_the_year(through=date(2026, 1, 31)).closing + 42
    interest = "Date,Description,Reference,Amount,Balance\n"
    interest += f"2026-01-30,CREDIT INTEREST,INT,0.42,{balance / 100:.2f}\n"
    upload(app, w.treasurer, w.slug, interest.encode(), layout=YEAR_LAYOUT)
    examiner = _examiner(app, sessions, w)

    bank = examiner.get(f"/n/{w.slug}/bank")
    assert bank.status_code == 200
    assert "Lines settled" in bank.text and "statement.csv" in bank.text
    assert "Upload a statement" not in bank.text and "Unmatch" not in bank.text
    reconcile = examiner.get(f"/n/{w.slug}/bank/reconcile?on=2025-12-31")
    assert reconcile.status_code == 200 and 'id="verdict"' in reconcile.text
    assert "Save the reconciliation" not in reconcile.text

    state = [(line.id, line.state, line.transaction_id) for line in lines(app, w.slug)]
    matched = next(line for line in lines(app, w.slug) if line.state == "matched")
    open_line = next(line for line in lines(app, w.slug) if line.state == "unmatched")
    statement = {"bank": "Test Bank", "file": (io.BytesIO(statement_of_the_year().data), "again.csv")}
    writes = [
        (f"/n/{w.slug}/bank/upload", statement),
        (f"/n/{w.slug}/bank/lines/{open_line.id}/post", {"kind": "bank_charges", "fund": "general"}),
        (f"/n/{w.slug}/bank/lines/{open_line.id}/match", {"transaction": str(matched.transaction_id)}),
        (f"/n/{w.slug}/bank/lines/{matched.id}/unmatch", {}),
        (f"/n/{w.slug}/bank/reconcile", {"on": "2025-12-31", "statement_balance": ""}),
    ]
    for url, form in writes:
        answer = examiner.post(url, form, content_type="multipart/form-data")
        assert answer.status_code == 403, (url, answer.status_code)
    assert [(line.id, line.state, line.transaction_id) for line in lines(app, w.slug)] == state
    assert _count(sessions, Statement) == 2 and _count(sessions, Reconciliation) == 0
    assert _refused(sessions, w.neighbourhood_id) == [("POST", url) for url, _form in writes]


def test_the_committee_reads_the_bank_pages_but_cannot_upload(app, sessions):
    w = world(sessions, members=1, residents=0)
    member = WebClient(app.test_client())
    member.login("member0@example.org")
    assert member.get(f"/n/{w.slug}/bank").status_code == 200
    assert "Upload a statement" not in member.get(f"/n/{w.slug}/bank").text
    assert member.get(f"/n/{w.slug}/bank/reconcile").status_code == 200
    sent = {"bank": "Test Bank", "file": (io.BytesIO(statement_of_the_year().data), "s.csv")}
    assert (
        member.post(f"/n/{w.slug}/bank/upload", sent, content_type="multipart/form-data").status_code == 403
    )
    assert _count(sessions, Statement) == 0


def test_the_examiner_opens_a_payments_documents_and_attaches_nothing(app, sessions):
    paid = paid_world(app, sessions)
    w = paid.w
    document_id, _sha = attach(app, w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf())
    examiner = _examiner(app, sessions, w)
    url = f"/n/{w.slug}/documents/treasurer-entry/{paid.entry_id}"
    page = examiner.get(url)
    assert page.status_code == 200 and "invoice.pdf" in page.text
    assert "Attach a document" not in page.text and "Withdraw" not in page.text
    assert examiner.get(f"/n/{w.slug}/documents/{document_id}/file").status_code == 200
    attached = {"kind": "invoice", "file": (io.BytesIO(pdf("Mine")), "mine.pdf")}
    assert examiner.post(url, attached, content_type="multipart/form-data").status_code == 403
    withdraw = f"/n/{w.slug}/documents/{document_id}/withdraw"
    assert examiner.post(withdraw, {"reason": "Examiner's"}).status_code == 403
    assert _count(sessions, Document) == 1
    assert _refused(sessions, w.neighbourhood_id) == [("POST", url), ("POST", withdraw)]
