"""Supporting documents: invoices, receipts, grant evidence and bank statements attached to a payment.

A document row is never changed or deleted (the database refuses, as for audit events): a replacement is a new
document, a withdrawal a new audit event. The file itself lives in the document store under its SHA-256, and
the hash, name and size are sealed in the audit log when it is attached (`document.attached`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime, status_type
from pledgebank.text import _t


class Subject(StrEnum):
    """What a document supports; the value is also the subject's name in URLs (with hyphens)."""

    TREASURER_ENTRY = "treasurer_entry"
    GRANT_PAYMENT = "grant_payment"
    GRANT_REPORT = "grant_report"

    @property
    def slug(self) -> str:
        """The subject as it appears in a URL."""
        return self.value.replace("_", "-")


class DocumentKind(StrEnum):
    """What kind of paper it is."""

    INVOICE = "invoice"
    RECEIPT = "receipt"
    GRANT_EVIDENCE = "grant_evidence"
    BANK_STATEMENT = "bank_statement"


KIND_NAMES = {
    DocumentKind.INVOICE: _t("Invoice"),
    DocumentKind.RECEIPT: _t("Receipt"),
    DocumentKind.GRANT_EVIDENCE: _t("Grant evidence"),
    DocumentKind.BANK_STATEMENT: _t("Bank statement"),
}


class Document(Base):
    """One stored file supporting one payment, entry or report."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("neighbourhood_id", "form_key"),
        CheckConstraint("size > 0", name="size_positive"),
        Index("ix_documents_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    subject_type: Mapped[Subject] = mapped_column(status_type(Subject, 20))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[DocumentKind] = mapped_column(status_type(DocumentKind, 20))
    # The name it was uploaded under, checked (no path separators, no control characters); shown and offered
    # on download, never used as a path: the file is stored under its hash.
    filename: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    # The one-time key the form carried: a second sending of the same form finds this document.
    form_key: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def storage_key(self) -> str:
        """Where the store keeps the file: its hash, never its name."""
        return self.sha256
