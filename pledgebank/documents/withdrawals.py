"""Withdrawing a document: a new audit event (`document.withdrawn`) with the reason; the document and its file
stay, still listed and still checked by `ledger verify`, marked withdrawn. A withdrawn document no longer
supports its payment (see queries.payments_without_documents); a corrected copy is attached as a new one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, String, cast, select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import AuditEvent
from pledgebank.documents.models import Document
from pledgebank.documents.subjects import require_attach, subject_info
from pledgebank.errors import Conflict, InvalidInput, NotFound

WITHDRAWN = "document.withdrawn"


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """When, by whom and why a document was withdrawn."""

    at: datetime
    actor_id: int | None
    reason: str


def withdrawn_ids() -> Select[str]:
    """The ids (as text, as the audit log keeps them) of every withdrawn document, for use in a query."""
    return select(AuditEvent.subject_id).where(
        AuditEvent.action == WITHDRAWN, AuditEvent.subject_type == "document"
    )


def not_withdrawn(document: type[Document] = Document) -> ColumnElement[bool]:
    """A condition: the document has not been withdrawn."""
    return cast(document.id, String).not_in(withdrawn_ids())


def withdrawals_of(session: Session, document_ids: list[int]) -> dict[int, Withdrawal]:
    """The withdrawals of these documents, by document id."""
    rows = session.execute(
        select(AuditEvent.subject_id, AuditEvent.occurred_at, AuditEvent.actor_id, AuditEvent.after).where(
            AuditEvent.action == WITHDRAWN,
            AuditEvent.subject_type == "document",
            AuditEvent.subject_id.in_([str(found) for found in document_ids]),
        )
    )
    return {
        int(subject_id): Withdrawal(at, actor_id, str((after or {}).get("reason", "")))
        for subject_id, at, actor_id, after in rows
    }


def withdraw_document(
    session: Session, *, actor_id: int, document_id: int, reason: str, now: datetime
) -> Document:
    """Withdraw the document with a reason (3 to 500 characters); Conflict if it already is."""
    document = session.scalar(
        select(Document)
        .where(Document.id == document_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if document is None:
        raise NotFound("There is no such document.")
    info = subject_info(session, document.subject_type, document.subject_id)
    require_attach(session, info, actor_id)
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= 500:
        raise InvalidInput.field("reason", "Say why it is withdrawn, in 3 to 500 characters.")
    if withdrawals_of(session, [document.id]):
        raise Conflict("This document is already withdrawn.")
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=document.neighbourhood_id,
        action="document.withdrawn",
        subject=("document", document.id),
        now=now,
        after={
            "document_id": document.id,
            "filename": document.filename,
            "sha256": document.sha256,
            "kind": document.kind.value,
            "on": document.subject_type.value,
            "on_id": document.subject_id,
            "reason": reason,
        },
    )
    return document
