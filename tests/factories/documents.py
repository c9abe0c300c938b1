"""Helpers for document tests: files of each type made in code, a neighbourhood with a supplier payment and a
paid, reported grant, and attaching through the real service and store."""

from __future__ import annotations

import io
import secrets
import zlib
from dataclasses import dataclass

from PIL import Image

from pledgebank.db import unit_of_work
from pledgebank.documents import samples
from pledgebank.documents.models import Subject
from pledgebank.documents.services import attach_document
from pledgebank.documents.storage import app_store
from pledgebank.grants.models import GrantPayment, GrantReport
from tests.factories.grants import World, clock_now, give_fund, pay, report, world
from tests.factories.treasurer import record, terms
from tests.helpers.treasurer_books import award

SUPPLIER = {"payee": "Oak Fencing Ltd", "purpose": "Mend the fence", "category": "repairs", "place": "bank"}


def pdf(text: str = "Invoice 17 from Oak Fencing Ltd") -> bytes:
    """A valid one-page PDF."""
    return samples.pdf([text, "Total due: 120.00"])


def png() -> bytes:
    """A valid small PNG."""
    return samples.png(40, 30)


def jpeg() -> bytes:
    """A valid small JPEG (a photo of a receipt, say)."""
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 180, 120)).save(out, format="JPEG", quality=80)
    return out.getvalue()


def _pdf_of(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_bomb(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A PDF whose page tree sits in an object stream that inflates to `inflated` bytes (about 200 KB sent):
    reading its pages means decompressing the bomb."""
    inner = b"2 0 3 45 " + b"<< /Type /Pages /Kids [3 0 R] /Count 1 >> " + b"<< /Type /Page /Parent 2 0 R >>"
    compressor = zlib.compressobj(9)
    body = compressor.compress(inner.ljust(inflated, b" ")) + compressor.flush()
    stream = b"<< /Type /ObjStm /N 2 /First 9 /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
    return _pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", stream + body + b"\nendstream"])


def zip_bomb() -> bytes:
    """A ZIP archive (as a .docx is) holding one entry that inflates a thousandfold."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 5_000_000)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Paid:
    """A neighbourhood with a posted supplier payment and a paid grant with its grantee's report."""

    w: World
    entry_id: int
    grant_payment_id: int
    grant_report_id: int
    grantee: int


def paid_world(app, sessions) -> Paid:
    """Build it through the real services."""
    w = world(sessions)
    give_fund(app, w.slug, 200_000)
    entry_id, status, _legs = record(
        app, w.treasurer, w.slug, terms(app, "supplier_payment", amount=12_000, **SUPPLIER)
    )
    assert status == "posted"
    award(app, w, 20_000)
    with unit_of_work(sessions) as session:
        from pledgebank.grants.models import GrantApplication

        application = session.query(GrantApplication).one()
        application_id, grantee = application.id, application.applicant_id
    assert pay(app, application_id, w.treasurer) == "paid"
    report(app, application_id, grantee, 18_000)
    with unit_of_work(sessions) as session:
        payment_id = session.query(GrantPayment).one().id
        report_id = session.query(GrantReport).one().id
    return Paid(w, entry_id, payment_id, report_id, grantee)


def attach(
    app,
    actor: int,
    subject: Subject,
    subject_id: int,
    data: bytes,
    filename: str = "invoice.pdf",
    *,
    kind: str = "invoice",
    key: str | None = None,
):
    """Attach through the service and the app's store; return (id, sha256)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        document = attach_document(
            session,
            app_store(app),
            actor_id=actor,
            subject=subject,
            subject_id=subject_id,
            kind=kind,
            filename=filename,
            data=data,
            form_key=key or secrets.token_urlsafe(16),
            max_bytes=app.config["DOCUMENT_MAX_BYTES"],
            now=clock_now(app),
        )
        return document.id, document.sha256
