"""OFX and QFX statements (version 1 SGML or version 2 XML), read with ofxtools.

ofxtools reads OFX with its own tokenizer into an element tree: no document type is loaded and no entity is
expanded, so nothing outside the file is ever read.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ofxtools.header import OFXHeaderError
from ofxtools.models.base import OFXAggregateError
from ofxtools.Parser import OFXTree, ParseError
from ofxtools.Types import OFXTypeError

from pledgebank.statements.parsed import (
    ParsedLine,
    ParsedStatement,
    StatementProblem,
    check_day,
    check_lines,
    check_size,
    clean_text,
    signed_amount,
)

_PROBLEMS = (ParseError, OFXHeaderError, OFXAggregateError, OFXTypeError, ValueError, KeyError, IndexError)


def _statement(data: bytes) -> Any:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise StatementProblem("The file declares a document type or entities; an OFX statement does not.")
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
        statements = list(ofx.statements)
    except _PROBLEMS as error:
        raise StatementProblem(f"The file is not a readable OFX statement: {error}.") from None
    if len(statements) != 1:
        raise StatementProblem(f"The file holds {len(statements)} statements; upload one account at a time.")
    return statements[0]


def _amount(value: Decimal | None, currency: str, where: str) -> int:
    if value is None:
        raise StatementProblem(f"{where.capitalize()} has no amount (TRNAMT).")
    return signed_amount(format(value, "f"), currency, where=where)


def parse_ofx(data: bytes, currency: str) -> ParsedStatement:
    """The transactions of an OFX statement, with its account, currency and ledger balance."""
    check_size(data)
    stmt = _statement(data)
    found = str(stmt.curdef or "").upper()
    if found != currency:
        raise StatementProblem(
            f"The statement is in {found or 'no currency'} (CURDEF), but the books are kept in {currency}.",
            "currency",
        )
    parsed = ParsedStatement("ofx", account=str(stmt.account.acctid or "") or None, currency=found)
    if stmt.balance is not None:
        parsed.closing_balance = _amount(stmt.balance.balamt, currency, "the ledger balance")
    for number, trn in enumerate(stmt.transactions or [], start=1):
        where = f"transaction {number} (FITID {str(trn.fitid)[:40]})"
        if trn.dtposted is None:
            raise StatementProblem(f"{where.capitalize()} has no date (DTPOSTED).")
        description = " ".join(part for part in (trn.name, trn.memo) if part)
        parsed.lines.append(
            ParsedLine(
                booked_on=check_day(trn.dtposted.date(), where=where),
                amount=_amount(trn.trnamt, currency, where),
                description=clean_text(description, 300),
                reference=clean_text(trn.refnum or trn.checknum or trn.fitid, 120),
            )
        )
    return check_lines(parsed)
