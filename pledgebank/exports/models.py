"""A record of every ledger export made: what it covered, so the next one can name the head it follows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime


class LedgerExport(Base):
    """One finished export of a book: format, filters, the sequence range and the chain head it covered."""

    __tablename__ = "ledger_exports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), index=True)
    format: Mapped[str] = mapped_column(String(16))
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("funds.id"))
    date_from: Mapped[date | None] = mapped_column(Date)
    date_to: Mapped[date | None] = mapped_column(Date)
    first_sequence: Mapped[int | None] = mapped_column(BigInteger)
    last_sequence: Mapped[int | None] = mapped_column(BigInteger)
    head_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    transactions: Mapped[int] = mapped_column(Integer)
    postings: Mapped[int] = mapped_column(Integer)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
