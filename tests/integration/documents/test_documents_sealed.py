"""Documents attached through the service: each allowed type, its hash sealed in the audit log, the file kept
under its hash; `ledger verify` re-hashes every file and names a replaced, truncated or missing one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.documents.models import Document, Subject
from pledgebank.documents.queries import payments_without_documents
from pledgebank.documents.storage import LocalStore, app_store
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from tests.factories.documents import attach, jpeg, paid_world, pdf, png
from tests.factories.grants import today
from tests.helpers.backups import cli


def _verify(app) -> tuple[int, str]:
    result = cli(app, "ledger", "verify")
    return result.exit_code, result.output


def _counts(app) -> tuple[int, int, int]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.scalar(select(func.count()).select_from(Document))
        sealed = session.scalar(select(func.count()).where(AuditEvent.action == "document.attached"))
    return rows, sealed, len(list(app_store(app).iter()))


def test_each_type_is_attached_sealed_and_verified(app, sessions):
    paid = paid_world(app, sessions)
    w = paid.w
    invoice = pdf()
    pdf_id, pdf_hash = attach(app, w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, invoice)
    png_id, _ = attach(app, w.chair, Subject.GRANT_PAYMENT, paid.grant_payment_id, png(), "award.png")
    jpeg_id, _ = attach(
        app,
        paid.grantee,
        Subject.GRANT_REPORT,
        paid.grant_report_id,
        jpeg(),
        "till receipt.JPG",
        kind="receipt",
    )
    assert pdf_hash == hashlib.sha256(invoice).hexdigest()
    store = app_store(app)
    assert isinstance(store, LocalStore) and store.root == Path(app.config["DOCUMENT_DIR"])
    assert store.get(pdf_hash) == invoice
    with unit_of_work(sessions) as session:
        documents = {d.id: d for d in session.scalars(select(Document))}
        assert {d.media_type for d in documents.values()} == {"application/pdf", "image/png", "image/jpeg"}
        assert documents[jpeg_id].filename == "till receipt.JPG"
        event = session.scalar(
            select(AuditEvent).where(
                AuditEvent.subject_type == "document", AuditEvent.subject_id == str(pdf_id)
            )
        )
        assert event.action == "document.attached" and event.actor_id == w.treasurer
        assert event.after["sha256"] == pdf_hash and event.after["size"] == len(invoice)
        assert event.after["filename"] == "invoice.pdf" and event.after["document_id"] == pdf_id
    assert _counts(app) == (3, 3, 3)
    code, output = _verify(app)
    assert code == 0, output
    del png_id


def _stored_path(app, sha256: str) -> Path:
    return Path(app.config["DOCUMENT_DIR"]) / sha256[:2] / sha256


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda path: path.write_bytes(pdf("Invoice 17: total due 1200.00")), "replaced"),
        (lambda path: path.write_bytes(path.read_bytes()[:-40]), "truncated"),
        (lambda path: path.unlink(), "missing"),
    ],
    ids=["replaced", "truncated", "missing"],
)
def test_a_damaged_file_makes_ledger_verify_fail_naming_it(app, sessions, damage, words):
    paid = paid_world(app, sessions)
    attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, png(), "before.png", kind="receipt")
    document_id, sha256 = attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf())
    assert _verify(app)[0] == 0
    damage(_stored_path(app, sha256))
    code, output = _verify(app)
    assert code == 1, output
    assert f"document {document_id} (invoice.pdf)" in output and words in output, output
    assert "before.png" not in output  # the sound document is not blamed


def test_a_replacement_is_a_new_document_and_the_database_refuses_rewriting_one(app, sessions):
    paid = paid_world(app, sessions)
    first, _ = attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf("Invoice 17"))
    second, _ = attach(
        app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf("Invoice 17, corrected")
    )
    assert second != first and _counts(app)[:2] == (2, 2)
    for statement in (
        update(Document).where(Document.id == first).values(sha256="0" * 64),
        delete(Document).where(Document.id == first),
    ):
        with pytest.raises(DBAPIError), unit_of_work(sessions) as session:
            session.execute(statement)
    if app.config["DATABASE_URL"].startswith("postgresql"):
        with pytest.raises(DBAPIError), unit_of_work(sessions) as session:
            session.execute(text("TRUNCATE documents"))
    assert _counts(app)[:2] == (2, 2)


@pytest.mark.parametrize(
    ("filename", "data", "field_words"),
    [
        ("invoice.pdf", b"This is a plain text file, not a PDF at all.\n", "not a PDF, PNG or JPEG"),
        ("invoice.pdf", b"%PDF-1.7\nthis is not really a PDF\n%%EOF\n", "not a readable PDF"),
        ("photo.png", b"", "empty"),
        ("../../etc/passwd.pdf", pdf(), "may not contain /"),
        ("receipts\\march.pdf", pdf(), "may not contain /"),
        ("march\x1b[31m.pdf", pdf(), "control character"),
        ("receipt.png", pdf(), "says a PNG image but its content is a PDF"),
        ("receipt.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "not a readable image"),
    ],
    ids=[
        "text-as-pdf",
        "broken-pdf",
        "empty",
        "path-up",
        "backslash",
        "control",
        "wrong-extension",
        "bad-jpeg",
    ],
)
def test_bad_files_are_refused_beside_the_file_field_and_nothing_is_stored(
    app, sessions, filename, data, field_words
):
    paid = paid_world(app, sessions)
    with pytest.raises(InvalidInput) as refused:
        attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, data, filename)
    assert list(refused.value.fields) == ["file"]
    assert field_words in refused.value.fields["file"][0]
    assert _counts(app) == (0, 0, 0)


def test_the_same_form_sent_twice_attaches_once_and_another_file_on_it_clashes(app, sessions):
    paid = paid_world(app, sessions)
    key = "one-form-key-0123456789"
    first = attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf(), key=key)
    assert attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf(), key=key) == first
    with pytest.raises(Conflict):
        attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, png(), "other.png", key=key)
    assert _counts(app) == (1, 1, 1)


def test_who_may_attach(app, sessions):
    paid = paid_world(app, sessions)
    w = paid.w
    for who, subject, subject_id in (
        (w.members[0], Subject.TREASURER_ENTRY, paid.entry_id),  # the committee sees, but does not attach
        (w.residents[1], Subject.TREASURER_ENTRY, paid.entry_id),
        (paid.grantee, Subject.GRANT_PAYMENT, paid.grant_payment_id),  # the grantee: their report only
        (w.residents[1], Subject.GRANT_REPORT, paid.grant_report_id),
    ):
        with pytest.raises(Forbidden):
            attach(app, who, subject, subject_id, pdf())
    attach(app, paid.grantee, Subject.GRANT_REPORT, paid.grant_report_id, pdf(), kind="grant_evidence")
    attach(
        app, w.chair, Subject.GRANT_REPORT, paid.grant_report_id, png(), "bench.png", kind="grant_evidence"
    )
    assert _counts(app) == (2, 2, 2)


def test_payments_without_documents_lists_what_the_examiner_would_flag(app, sessions):
    paid = paid_world(app, sessions)
    day = today(app)
    with unit_of_work(sessions) as session:
        from pledgebank.books.services import book_of

        book_id = book_of(session, paid.w.neighbourhood_id).id
        missing = payments_without_documents(session, book_id, day, day)
    assert {(m.subject, m.subject_id) for m in missing} == {
        (Subject.TREASURER_ENTRY, paid.entry_id),
        (Subject.GRANT_PAYMENT, paid.grant_payment_id),
    }
    attach(app, paid.w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf())
    # A receipt on the grantee's report supports the grant's payment.
    attach(
        app, paid.grantee, Subject.GRANT_REPORT, paid.grant_report_id, jpeg(), "receipt.jpg", kind="receipt"
    )
    with unit_of_work(sessions) as session:
        assert payments_without_documents(session, book_id, day, day) == []
        assert (
            payments_without_documents(
                session, book_id, day.replace(year=day.year - 1), day.replace(year=day.year - 1)
            )
            == []
        )
