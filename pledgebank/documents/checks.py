"""`ledger verify`'s part for documents: every stored file still has the hash, size and name sealed for it.

For each document of the book's neighbourhood: its `document.attached` audit event must exist and agree with
the row (id, file name, size, SHA-256), and the store's file under that hash must be there and re-hash to it.
A replaced, truncated or missing file is named by its id and file name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.models import AuditEvent, Book
from pledgebank.documents.models import Document
from pledgebank.documents.services import ATTACHED, sealed_facts
from pledgebank.documents.storage import DocumentStore, StoreError
from pledgebank.ledger.verify import Problem

CHECK = "documents"


def _sealed(session: Session, neighbourhood_id: int) -> dict[str, dict[str, object]]:
    rows = session.execute(
        select(AuditEvent.subject_id, AuditEvent.after).where(
            AuditEvent.neighbourhood_id == neighbourhood_id,
            AuditEvent.action == ATTACHED,
            AuditEvent.subject_type == "document",
        )
    )
    return {subject_id: dict(after or {}) for subject_id, after in rows}


def _problem(document: Document, text: str) -> Problem:
    return Problem(None, f"document {document.id} ({document.filename}): {text}", CHECK)


def _file_problem(document: Document, store: DocumentStore) -> str | None:
    try:
        data = store.get(document.storage_key)
    except StoreError as error:
        return f"the store could not be read: {error}"
    if data is None:
        return "the file is missing from the store"
    if len(data) != document.size:
        return f"the file is {len(data)} bytes, not the {document.size} sealed (truncated or replaced)"
    digest = hashlib.sha256(data).hexdigest()
    if digest != document.sha256:
        return f"the file was replaced: its SHA-256 is {digest[:16]}…, not the {document.sha256[:16]}… sealed"
    return None


def check_documents(session: Session, store: DocumentStore, book: Book) -> Iterator[Problem]:
    """Every problem with the documents of the book's neighbourhood, in document order."""
    sealed = _sealed(session, book.neighbourhood_id)
    documents = session.scalars(
        select(Document).where(Document.neighbourhood_id == book.neighbourhood_id).order_by(Document.id)
    )
    for document in documents:
        facts = sealed.get(str(document.id))
        if facts is None:
            yield _problem(document, "no sealed record of it in the audit log")
            continue
        if facts != sealed_facts(document):
            yield _problem(document, "its row does not match the name, size or hash sealed in the audit log")
            continue
        problem = _file_problem(document, store)
        if problem is not None:
            yield _problem(document, problem)
