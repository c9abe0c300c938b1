"""Tables of the books: accounts, sealed hash-chained transactions, postings, chain heads, audit events.

The database keeps these honest by itself (see books/ddl.py): transactions, postings, seals and audit events
are append-only; a seal is refused unless the postings balance per currency and the transaction follows the
book's chain head; account balances are maintained by a trigger and guarded by a CHECK constraint, monthly
totals per account by a trigger on the seal; every transaction must be sealed by the time its database
transaction commits (a deferred foreign key).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime


class Book(Base):
    """A neighbourhood's book of account, in one currency."""

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChainHead(Base):
    """The last sealed sequence number and hash of a book; advanced only by the seal trigger."""

    __tablename__ = "ledger_chain_heads"

    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerAccount(Base):
    """An account in a book; balance is the signed sum of its postings (debits positive)."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("book_id", "code"),
        UniqueConstraint("id", "book_id", "currency", name="uq_ledger_accounts_id_book_currency"),
        CheckConstraint("normal_sign IN (1, -1)", name="normal_sign"),
        CheckConstraint("NOT must_not_go_negative OR balance * normal_sign >= 0", name="guard"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))
    normal_sign: Mapped[int] = mapped_column(SmallInteger)
    # Indexed: a fund's balances are read by its accounts (never by scanning every book's accounts).
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("funds.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    must_not_go_negative: Mapped[bool] = mapped_column(default=False)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class LedgerTransaction(Base):
    """A sealed, hash-chained journal entry; never updated or deleted."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (
        UniqueConstraint("book_id", "sequence"),
        UniqueConstraint("book_id", "idempotency_key"),
        UniqueConstraint("id", "book_id", name="uq_ledger_transactions_id_book"),
        CheckConstraint("sequence >= 1", name="sequence_positive"),
        ForeignKeyConstraint(
            ["id"],
            ["ledger_seals.transaction_id"],
            name="fk_ledger_transactions_id_ledger_seals",
            deferrable=True,
            initially="DEFERRED",
            use_alter=True,
        ),
        # A book's transactions by date, in the exports' date order: no page reads another book's.
        Index("ix_ledger_transactions_book_id_effective_date", "book_id", "effective_date", "sequence"),
    )

    # autoincrement must be explicit: the deferred foreign key to ledger_seals is on this column.
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    sequence: Mapped[int] = mapped_column(BigInteger)
    effective_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(40))
    memo: Mapped[str] = mapped_column(String(200))
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"), unique=True)
    format_version: Mapped[int] = mapped_column(SmallInteger)
    canonical: Mapped[bytes] = mapped_column(LargeBinary)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LedgerPosting(Base):
    """One leg of a transaction; its currency is its account's (a composite foreign key says so)."""

    __tablename__ = "ledger_postings"
    __table_args__ = (
        UniqueConstraint("transaction_id", "line"),
        CheckConstraint("amount <> 0", name="amount_nonzero"),
        ForeignKeyConstraint(
            ["transaction_id", "book_id"],
            ["ledger_transactions.id", "ledger_transactions.book_id"],
            name="fk_ledger_postings_transaction_book",
        ),
        ForeignKeyConstraint(
            ["account_id", "book_id", "currency"],
            ["ledger_accounts.id", "ledger_accounts.book_id", "ledger_accounts.currency"],
            name="fk_ledger_postings_account_book_currency",
        ),
        Index("ix_ledger_postings_account_id", "account_id"),
        # A book's postings by transaction, for joins that name the book on both sides.
        Index("ix_ledger_postings_book_id_transaction_id", "book_id", "transaction_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(BigId)
    book_id: Mapped[int] = mapped_column(BigId)
    line: Mapped[int] = mapped_column(SmallInteger)
    account_id: Mapped[int] = mapped_column(BigId)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))


class LedgerSeal(Base):
    """Marks a transaction complete; inserting it runs the balance and chain checks in the database."""

    __tablename__ = "ledger_seals"

    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), primary_key=True)


class LedgerMonthlyTotal(Base):
    """An account's postings in one month, kept by the database as each transaction is sealed.

    `amount` is their net (the months of an account add up to its balance); `closed` the part year-end
    closes posted; `cash_debits` and `cash_credits` (negative) its legs in transactions that move money
    through the bank, the cash box or Stripe clearing, but for year-end closes and the legacy move into fund
    shares: what the public chart of money in and out reads. `ledger verify` recomputes every row.
    """

    __tablename__ = "ledger_monthly_totals"
    __table_args__ = (Index("ix_ledger_monthly_totals_book_id_month", "book_id", "month"),)

    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    closed: Mapped[int] = mapped_column(BigInteger)
    cash_debits: Mapped[int] = mapped_column(BigInteger)
    cash_credits: Mapped[int] = mapped_column(BigInteger)


class AuditEvent(Base):
    """A non-money action (role change, decision, setting): who, what, when, before and after."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClosedPeriod(Base):
    """A financial year the chair or treasurer has closed: nothing may be posted on or before closed_through.

    The database refuses a ledger transaction dated inside a closed period, refuses any change to these rows
    (a closed year is never reopened), and accepts a new close only after the book's latest one.
    """

    __tablename__ = "closed_periods"
    __table_args__ = (UniqueConstraint("book_id", "closed_through"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"))
    closed_through: Mapped[date] = mapped_column(Date)
    # The closing transaction; None when the year had no income or expenses to close.
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
