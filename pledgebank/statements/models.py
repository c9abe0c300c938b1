"""Tables of bank statements: the book's bank account, column mappings per bank, statements and their lines,
rules remembered from the treasurer's choices, and saved reconciliations.

A line is stored once per book: its fingerprint (date, amount, reference, description, and its running
balance or, without one, its place among identical lines of the file) is unique, so an overlapping statement
uploaded again adds only the lines it has not brought before.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime, status_type


class LineState(StrEnum):
    """Where a statement line stands against the books."""

    UNMATCHED = "unmatched"
    MATCHED = "matched"  # paired with a bank posting already in the books
    POSTED = "posted"  # the books' entry was made from the line


class BankAccount(Base):
    """The account number or IBAN of a book's bank account, which OFX and CAMT files must name."""

    __tablename__ = "bank_accounts"

    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(40))


class ColumnMapping(Base):
    """How one bank's CSV statements are laid out: the columns to read, and the date format."""

    __tablename__ = "bank_column_mappings"
    __table_args__ = (UniqueConstraint("book_id", "bank"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    bank: Mapped[str] = mapped_column(String(60))
    date_column: Mapped[str] = mapped_column(String(60))
    date_format: Mapped[str] = mapped_column(String(20))
    amount_column: Mapped[str] = mapped_column(String(60), default="")
    paid_in_column: Mapped[str] = mapped_column(String(60), default="")
    paid_out_column: Mapped[str] = mapped_column(String(60), default="")
    description_column: Mapped[str] = mapped_column(String(60))
    reference_column: Mapped[str] = mapped_column(String(60), default="")
    balance_column: Mapped[str] = mapped_column(String(60), default="")


class Statement(Base):
    """One uploaded file; the same file uploaded twice is found again by its SHA-256."""

    __tablename__ = "bank_statements"
    __table_args__ = (UniqueConstraint("book_id", "sha256"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    closing_balance: Mapped[int | None] = mapped_column(BigInteger)
    lines_read: Mapped[int] = mapped_column(Integer)
    lines_added: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StatementLine(Base):
    """One line of the bank's record: money in is positive, money out negative, in minor units."""

    __tablename__ = "bank_statement_lines"
    __table_args__ = (UniqueConstraint("book_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    booked_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(120), default="")
    balance: Mapped[int | None] = mapped_column(BigInteger)
    state: Mapped[LineState] = mapped_column(status_type(LineState, 10), default=LineState.UNMATCHED)
    # The bank posting the line was matched to, or the entry made from it; one line per transaction.
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"), unique=True)
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LineRule(Base):
    """A remembered choice: a line whose description contains `contains` is offered as `kind`, in `fund`."""

    __tablename__ = "bank_line_rules"
    __table_args__ = (UniqueConstraint("book_id", "contains"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    contains: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    fund_id: Mapped[int] = mapped_column(ForeignKey("funds.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reconciliation(Base):
    """The bank agreed with the books at a date: the figures, who saw them agree, and when."""

    __tablename__ = "bank_reconciliations"
    __table_args__ = (UniqueConstraint("book_id", "reconciled_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    reconciled_on: Mapped[date] = mapped_column(Date)
    statement_balance: Mapped[int] = mapped_column(BigInteger)
    ledger_balance: Mapped[int] = mapped_column(BigInteger)
    unmatched_lines_total: Mapped[int] = mapped_column(BigInteger)
    unmatched_postings_total: Mapped[int] = mapped_column(BigInteger)
    reconciled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reconciled_at: Mapped[datetime] = mapped_column(UTCDateTime)
