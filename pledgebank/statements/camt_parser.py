"""ISO 20022 CAMT.053 bank-to-customer statements, read with defusedxml: a document type, an entity or an
external reference is refused rather than expanded, so a crafted file cannot blow up or read local files."""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

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


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(node: Element | None, *path: str) -> Element | None:
    for name in path:
        if node is None:
            return None
        node = next((kid for kid in node if _local(kid.tag) == name), None)
    return node


def _children(node: Element, name: str) -> list[Element]:
    return [kid for kid in node if _local(kid.tag) == name]


def _text(node: Element | None, *path: str) -> str:
    found = _child(node, *path)
    return (found.text or "").strip() if found is not None else ""


def _day(text: str, where: str) -> date:
    try:
        return check_day(date.fromisoformat(text[:10]), where=where)
    except ValueError:
        raise StatementProblem(f"The booking date of {where} ({text[:20]!r}) is not a date.") from None


def _signed(node: Element | None, currency: str, where: str) -> int:
    amount = _child(node, "Amt")
    if amount is None:
        raise StatementProblem(f"{where.capitalize()} has no amount (Amt).")
    found = amount.get("Ccy", "").upper()
    if found and found != currency:
        raise StatementProblem(
            f"{where.capitalize()} is in {found}, but the books are kept in {currency}.", "currency"
        )
    value = signed_amount(amount.text or "", currency, where=where)
    indicator = _text(node, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise StatementProblem(f"{where.capitalize()} says neither CRDT nor DBIT (CdtDbtInd).")
    return -abs(value) if indicator == "DBIT" else abs(value)


def parse_camt(data: bytes, currency: str) -> ParsedStatement:
    """The entries of a CAMT.053 statement, with its account and closing balance; raises StatementProblem."""
    check_size(data)
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise StatementProblem(f"The file is not well-formed XML: {error}.") from None
    statement = _child(root, "BkToCstmrStmt", "Stmt")
    if _local(root.tag) != "Document" or statement is None:
        raise StatementProblem("The file is XML but not a CAMT.053 statement (no BkToCstmrStmt/Stmt).")
    account = _child(statement, "Acct")
    found_currency = _text(account, "Ccy").upper() or None
    if found_currency and found_currency != currency:
        raise StatementProblem(
            f"The statement's account is in {found_currency}, but the books are kept in {currency}.",
            "currency",
        )
    parsed = ParsedStatement(
        "camt",
        account=_text(account, "Id", "IBAN") or _text(account, "Id", "Othr", "Id") or None,
        currency=found_currency,
    )
    for balance in _children(statement, "Bal"):
        if _text(balance, "Tp", "CdOrPrtry", "Cd") == "CLBD":
            parsed.closing_balance = _signed(balance, currency, "the closing balance")
    for number, entry in enumerate(_children(statement, "Ntry"), start=1):
        where = f"entry {number}"
        status = _text(entry, "Sts", "Cd") or _text(entry, "Sts")
        if status not in ("", "BOOK"):
            continue  # pending entries are not yet on the account
        details = _child(entry, "NtryDtls", "TxDtls")
        description = (
            _text(details, "RmtInf", "Ustrd")
            or _text(entry, "AddtlNtryInf")
            or _text(details, "RltdPties", "Dbtr", "Nm")
            or _text(details, "RltdPties", "Cdtr", "Nm")
        )
        reference = (
            _text(details, "Refs", "EndToEndId") or _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
        )
        booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")
        parsed.lines.append(
            ParsedLine(
                booked_on=_day(booked, where),
                amount=_signed(entry, currency, where),
                description=clean_text(description, 300),
                reference=clean_text("" if reference == "NOTPROVIDED" else reference, 120),
            )
        )
    return check_lines(parsed)
