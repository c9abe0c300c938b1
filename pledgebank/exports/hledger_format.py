"""hledger journal: commodity and account declarations (for `hledger check -s`), transactions, assertions.

Each transaction's code is its sequence number; tags carry its kind, hash and canonical bytes (base64).
Transactions are written in date order (then sequence), so `hledger check ordereddates` passes however
entries were backdated. Month-end balance assertions are zero-amount postings in a transaction dated the
last day of the month, written after that month's last transaction, so hledger checks them after that
day's postings.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import date

from pledgebank.exports import dated_journal
from pledgebank.exports.exportfiles import (
    AMOUNT_PATTERN,
    ExportFile,
    JournalSyntax,
    Record,
    read_journal,
)
from pledgebank.exports.header import HEADER_MARK, comment_lines, compact
from pledgebank.exports.header import statement as header_statement
from pledgebank.exports.job import ExportJob
from pledgebank.exports.naming import major, one_line, tool_account
from pledgebank.exports.reader import AccountInfo, ExportTransaction
from pledgebank.exports.service import LedgerFormat
from pledgebank.ledger.money import CURRENCY_EXPONENTS

MEDIA_TYPE = "text/plain; charset=utf-8"
NAME = "hledger"
EXTENSION = "journal"
_TYPES = {"asset": "A", "liability": "L", "equity": "E", "income": "R", "expense": "X"}


def description(memo: str) -> str:
    """A memo as a transaction description: on one line, with no comment or note separators."""
    return one_line(memo)


def commodity_directive(currency: str) -> str:
    """The declaration of a currency, with the number of decimals it is written with."""
    exponent = CURRENCY_EXPONENTS[currency]
    sample = "1000." + "0" * exponent  # hledger wants the decimal mark even with no decimals
    return f"commodity {sample} {currency}"


def _posting(name: str, amount: int, currency: str) -> str:
    return f"    {name}  {major(amount, currency)} {currency}"


def _transaction(tx: ExportTransaction, names: dict[int, str]) -> str:
    canonical = base64.b64encode(tx.canonical or b"").decode("ascii")
    lines = [
        f"{tx.effective_date.isoformat()} * ({tx.sequence}) {description(tx.description or tx.memo)}",
        f"    ; seq:{tx.sequence}, kind:{tx.kind}"
        + (f", reverses:{tx.reverses_sequence}" if tx.reverses_sequence is not None else ""),
        f"    ; memo:{description(tx.memo)}",
        f"    ; hash:{tx.hash.hex()}",
        f"    ; canonical:{canonical}",
    ]
    lines.extend(
        _posting(names[account], amount, currency) for _line, account, amount, currency in tx.postings
    )
    return "\n".join(lines) + "\n\n"


def _assertions(
    month_ends: Iterator[tuple[date, dict[int, int]]], accounts: dict[int, AccountInfo], names: dict[int, str]
) -> Iterator[str]:
    for end, totals in month_ends:
        lines = [f"{end.isoformat()} Balances at the end of {end:%B %Y}"]
        for account_id in sorted(totals):
            currency = accounts[account_id].currency
            zero, total = major(0, currency), major(totals[account_id], currency)
            lines.append(f"    {names[account_id]}  {zero} {currency} = {total} {currency}")
        yield "\n".join(lines) + "\n\n"


def write(job: ExportJob) -> Iterator[str]:
    """The header, declarations, transactions, month-end balance assertions and the trailer."""
    scope = job.scope
    accounts = {a.id: a for a in scope.accounts}
    names = {a.id: tool_account(a.code) for a in scope.accounts}
    head = [f"; {line}" for line in comment_lines(scope, "hledger (hledger check -s)")]
    head.append(f"; {HEADER_MARK} {compact(header_statement(scope, NAME))}")
    head.append("")
    head.extend(commodity_directive(currency) for currency in sorted({a.currency for a in scope.accounts}))
    head.append("")
    head.extend(
        f"account {names[a.id]}  ; code:{a.code}, type:{_TYPES.get(a.type, 'A')}" for a in scope.accounts
    )
    yield "\n".join(head) + "\n\n"
    if scope.filters.date_from is not None and any(job.opening.values()):
        lines = [f"{scope.filters.date_from.isoformat()} * Balances brought forward"]
        lines.extend(
            _posting(names[account], amount, accounts[account].currency)
            for account, amount in sorted(job.opening.items())
            if amount
        )
        yield "\n".join(lines) + "\n\n"
    yield from dated_journal.body(job, names, _transaction, _assertions)


SYNTAX = JournalSyntax(
    start=re.compile(r"^\d{4}-\d{2}-\d{2} "),
    heading=re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2}) \* \(\d+\) (?P<description>.*)$"),
    account=re.compile(r"^account (?P<name>\S+)\s+; code:(?P<code>[^,\s]+)"),
    posting=re.compile(rf"^    (?P<account>[A-Z]\S*)\s+{AMOUNT_PATTERN}$"),
    fields={
        "sequence": re.compile(r"^    ; seq:(?P<value>\d+)"),
        "hash": re.compile(r"^    ; hash:(?P<value>[0-9a-f]*)"),
        "canonical": re.compile(r"^    ; canonical:(?P<value>[A-Za-z0-9+/=]*)"),
    },
)


sniff = dated_journal.sniffer(NAME)


def read(export: ExportFile) -> Iterator[Record]:
    """Each transaction with its tags, put back into sequence order."""
    return read_journal(export, SYNTAX)


FORMAT = LedgerFormat(
    name=NAME,
    label="hledger journal: checks with hledger check -s",
    media_type=MEDIA_TYPE,
    extension=EXTENSION,
    write=write,
    sniff=sniff,
    read=read,
    by_date=True,
)
