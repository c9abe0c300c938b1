"""Attaching a document: check the file, keep it in the store under its hash, record it, seal it.

The file is checked before anything is written (a refused file leaves neither a file nor a row). The row and
its audit event (`document.attached`, naming the document's id, file name, size and SHA-256) are written in
the caller's unit of work; the file is put in the store before that commits, so a committed row always has
its file (a file whose row was rolled back is harmless: nothing names it, and the same bytes uploaded again
are the same key). A form's one-time key makes a second sending of the same form find the first document.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.documents import content
from pledgebank.documents.models import Document, DocumentKind, Subject
from pledgebank.documents.storage import DocumentStore
from pledgebank.documents.subjects import require_attach, subject_info
from pledgebank.errors import Conflict, InvalidInput

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
ATTACHED = "document.attached"


def attach_document(
    session: Session,
    store: DocumentStore,
    *,
    actor_id: int,
    subject: Subject,
    subject_id: int,
    kind: str,
    filename: str | None,
    data: bytes,
    form_key: str,
    max_bytes: int,
    now: datetime,
) -> Document:
    """Attach the file to the subject, or find the document this form already attached; raises InvalidInput
    (beside `file`, `kind` or `form_key`), Forbidden or NotFound."""
    info = subject_info(session, subject, subject_id)
    require_attach(session, info, actor_id)
    if not isinstance(form_key, str) or not FORM_KEY.fullmatch(form_key):
        raise InvalidInput.field("form_key", "This form has expired: reload the page and choose the file.")
    existing = _by_form_key(session, info.neighbourhood_id, form_key)
    if kind not in {k.value for k in DocumentKind}:
        raise InvalidInput.field("kind", "Choose what kind of document it is.")
    checked = content.check_upload(filename, data, max_bytes=max_bytes)
    digest = digest_of(checked.data)
    if existing is not None:
        return _same(existing, subject, subject_id, digest)
    document = Document(
        neighbourhood_id=info.neighbourhood_id,
        subject_type=subject,
        subject_id=subject_id,
        kind=DocumentKind(kind),
        filename=checked.filename,
        media_type=checked.media_type,
        size=len(checked.data),
        sha256=digest,
        form_key=form_key,
        uploaded_by_id=actor_id,
        uploaded_at=now,
    )
    found = _add(session, document)
    if found is not document:
        return _same(found, subject, subject_id, digest)
    store.put(document.storage_key, checked.data)
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=info.neighbourhood_id,
        action="document.attached",
        subject=("document", document.id),
        now=now,
        after=sealed_facts(document),
    )
    return document


def digest_of(data: bytes) -> str:
    """A file's SHA-256 in hex: its key in the store and what is sealed."""
    return hashlib.sha256(data).hexdigest()


def sealed_facts(document: Document) -> dict[str, object]:
    """What the audit event seals about a document (and `ledger verify` compares)."""
    return {
        "document_id": document.id,
        "filename": document.filename,
        "size": document.size,
        "sha256": document.sha256,
        "media_type": document.media_type,
        "kind": document.kind.value,
        "on": document.subject_type.value,
        "on_id": document.subject_id,
    }


def _add(session: Session, document: Document) -> Document:
    """Insert the row, or return the one a simultaneous sending of the same form inserted first."""
    try:
        with session.begin_nested():
            session.add(document)
            session.flush()
    except IntegrityError:
        found = _by_form_key(session, document.neighbourhood_id, document.form_key)
        if found is None:
            raise
        return found
    return document


def _same(existing: Document, subject: Subject, subject_id: int, digest: str) -> Document:
    if existing.subject_type != subject or existing.subject_id != subject_id or existing.sha256 != digest:
        raise Conflict("This form was already sent with another file; reload the page to attach another.")
    return existing


def _by_form_key(session: Session, neighbourhood_id: int, form_key: str) -> Document | None:
    return session.scalar(
        select(Document).where(Document.neighbourhood_id == neighbourhood_id, Document.form_key == form_key)
    )
