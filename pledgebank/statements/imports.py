"""Uploading a statement: read the whole file first, check it is for the book's account and currency, then
store the lines the book does not hold yet (by fingerprint), all in the caller's unit of work or none of it.

Two uploads for one book take turns on the book's row, so the same lines sent twice at once are stored once;
the same file sent again finds the statement it made the first time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import Book
from pledgebank.books.services import book_of
from pledgebank.errors import InvalidInput
from pledgebank.policy import Action, require
from pledgebank.statements.camt_parser import parse_camt
from pledgebank.statements.csv_parser import Layout, parse_csv
from pledgebank.statements.models import BankAccount, ColumnMapping, Statement, StatementLine
from pledgebank.statements.ofx_parser import parse_ofx
from pledgebank.statements.parsed import ParsedStatement, StatementProblem, check_size, fingerprints

_BANK_NAME = re.compile(r"[^\W_][\w .&'-]{0,59}")
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Upload:
    """What an upload stored: its statement, and whether this very file had been uploaded before."""

    statement: Statement
    again: bool


def sniff(data: bytes) -> str:
    """The file's format from its content (never its name): camt, ofx or csv."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    if b"OFXHEADER" in head or b"<OFX>" in head or b"<?OFX" in head:
        return "ofx"
    if head.startswith(b"<") and (b"CAMT.053" in data[:4096].upper() or b"BKTOCSTMRSTMT" in head):
        return "camt"
    if head.startswith(b"<"):
        raise StatementProblem("The file is XML but neither a CAMT.053 statement nor OFX.")
    return "csv"


def normal_account(text: str | None) -> str:
    """An account number or IBAN as compared: letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", text or "").upper()


def same_account(first: str, second: str) -> bool:
    """Whether two account identifiers name one account (an IBAN ends with the account number it holds)."""
    a, b = normal_account(first), normal_account(second)
    shorter, longer = sorted((a, b), key=len)
    return a == b or (len(shorter) >= 6 and longer.endswith(shorter))


def clean_filename(name: str | None) -> str:
    """The uploaded file's name as shown; a name with path separators or control characters is refused."""
    name = (name or "").strip()
    if any(sep in name for sep in ("/", "\\")) or any(not ch.isprintable() for ch in name) or ".." in name:
        raise StatementProblem("The file's name must not contain path separators.")
    return name[:120] or "statement"


def check_bank(bank: str) -> str:
    """A bank's name for its saved column mapping."""
    bank = " ".join((bank or "").split())
    if not _BANK_NAME.fullmatch(bank):
        raise InvalidInput.field("bank", "Name the bank in at most 60 letters, digits and spaces.")
    return bank


def save_mapping(session: Session, book: Book, bank: str, layout: Layout) -> ColumnMapping:
    """Remember a bank's CSV layout for its next statement."""
    mapping = session.scalar(
        select(ColumnMapping).where(ColumnMapping.book_id == book.id, ColumnMapping.bank == bank)
    )
    if mapping is None:
        mapping = ColumnMapping(book_id=book.id, bank=bank)
        session.add(mapping)
    for name, value in vars_of(layout).items():
        setattr(mapping, name, value)
    return mapping


def vars_of(layout: Layout) -> dict[str, str]:
    """A layout's fields, as stored."""
    return {name: getattr(layout, name).strip() for name in Layout.__dataclass_fields__}


def _parse(data: bytes, currency: str, layout: Layout | None) -> ParsedStatement:
    kind = sniff(data)
    if kind == "ofx":
        return parse_ofx(data, currency)
    if kind == "camt":
        return parse_camt(data, currency)
    if layout is None:
        raise StatementProblem("A CSV statement needs its column mapping: name the bank's columns.")
    return parse_csv(data, layout, currency)


def _check_account(session: Session, book: Book, parsed: ParsedStatement) -> None:
    if not parsed.account:
        return
    known = session.get(BankAccount, book.id)
    if known is None:
        session.add(BankAccount(book_id=book.id, identifier=normal_account(parsed.account)[:40]))
    elif not same_account(known.identifier, parsed.account):
        raise StatementProblem(
            f"This statement is for account {parsed.account}, but the books' bank account is "
            f"{known.identifier}: upload a statement of that account.",
            "account",
        )


def _known(session: Session, book_id: int, prints: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(prints), _CHUNK):
        chunk = prints[start : start + _CHUNK]
        found.update(
            session.scalars(
                select(StatementLine.fingerprint).where(
                    StatementLine.book_id == book_id, StatementLine.fingerprint.in_(chunk)
                )
            )
        )
    return found


def _add_lines(
    session: Session, statement: Statement, parsed: ParsedStatement, prints: list[str], known: set[str]
) -> None:
    """Add the statement's lines the book does not hold yet, each once."""
    for position, (line, fingerprint) in enumerate(zip(parsed.lines, prints, strict=True), start=1):
        if fingerprint in known:
            continue
        known.add(fingerprint)
        session.add(
            StatementLine(
                book_id=statement.book_id,
                statement_id=statement.id,
                fingerprint=fingerprint,
                position=position,
                booked_on=line.booked_on,
                amount=line.amount,
                description=line.description,
                reference=line.reference,
                balance=line.balance,
            )
        )


def upload(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    filename: str | None,
    data: bytes,
    now: datetime,
    bank: str = "",
    layout: Layout | None = None,
) -> Upload:
    """Store a statement's new lines; raises StatementProblem (nothing stored) for a file that does not do."""
    require(session, actor_id, neighbourhood_id, Action.RECONCILE_BANK)
    name = clean_filename(filename)
    check_size(data)
    book = book_of(session, neighbourhood_id)
    if layout is not None and sniff(data) == "csv":
        bank = check_bank(bank)
    # Uploads to one book take turns here, so the fingerprints read below stay true until commit.
    session.execute(select(Book.id).where(Book.id == book.id).with_for_update())
    sha = hashlib.sha256(data).hexdigest()
    existing = session.scalar(select(Statement).where(Statement.book_id == book.id, Statement.sha256 == sha))
    if existing is not None:
        return Upload(existing, again=True)
    parsed = _parse(data, book.currency, layout)
    _check_account(session, book, parsed)
    prints = fingerprints(parsed.lines)
    known = _known(session, book.id, prints)
    days = [line.booked_on for line in parsed.lines]
    statement = Statement(
        book_id=book.id,
        format=parsed.format,
        filename=name,
        sha256=sha,
        first_day=min(days),
        last_day=max(days),
        closing_balance=parsed.closing_balance,
        lines_read=len(parsed.lines),
        lines_added=len(set(prints) - known),
        uploaded_by_id=actor_id,
        uploaded_at=now,
    )
    session.add(statement)
    session.flush()
    _add_lines(session, statement, parsed, prints, known)
    if layout is not None and parsed.format == "csv":
        save_mapping(session, book, bank, layout)
    session.flush()
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood_id,
        action="statement.uploaded",
        subject=("bank_statement", statement.id),
        now=now,
        after={
            "format": parsed.format,
            "lines_read": statement.lines_read,
            "lines_added": statement.lines_added,
            "first_day": statement.first_day.isoformat(),
            "last_day": statement.last_day.isoformat(),
        },
    )
    return Upload(statement, again=False)
