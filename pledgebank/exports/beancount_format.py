"""beancount: accounts opened with their currency, one transaction per ledger transaction, balance assertions.

Every transaction carries its sequence, kind, key, source, hash and canonical bytes (base64) as metadata, and
links: its own (^seq-N), the transaction it reverses, and each source reference (^pledge-12), so beancount
groups everything about one pledge or one payment. Each supporting document follows its transaction as a
`document` directive linked to it (^seq-N), naming documents/<sha256>.<ext> beside the export. Transactions
are in date order (then sequence), and balance assertions close every month, including sub-accounts as
beancount does.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta

from pledgebank.documents.content import EXTENSIONS
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
from pledgebank.exports.naming import major, tool_account
from pledgebank.exports.reader import AccountInfo, ExportTransaction
from pledgebank.exports.service import LedgerFormat

MEDIA_TYPE = "text/plain; charset=utf-8"
NAME = "beancount"
EXTENSION = "beancount"
_LINK_UNSAFE = re.compile(r"[^A-Za-z0-9\-_/.]")


def text(value: str) -> str:
    """A beancount string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _links(tx: ExportTransaction) -> str:
    links = [f"seq-{tx.sequence}"]
    if tx.reverses_sequence is not None:
        links.append(f"seq-{tx.reverses_sequence}")
    for name, value in sorted(json.loads(tx.source).items()):
        if value:
            links.append(_LINK_UNSAFE.sub("-", f"{name}-{value}"))
    return " ".join(f"^{link}" for link in dict.fromkeys(links))


def _transaction(tx: ExportTransaction, names: dict[int, str]) -> str:
    lines = [
        f"{tx.effective_date.isoformat()} * {text(tx.description or tx.memo)} {_links(tx)}",
        f"  seq: {tx.sequence}",
        f"  kind: {text(tx.kind)}",
        f"  memo: {text(tx.memo)}",
        f"  key: {text(tx.key or '')}",
        f"  source: {text(tx.source)}",
        f"  hash: {text(tx.hash.hex())}",
        f"  canonical: {text(base64.b64encode(tx.canonical or b'').decode('ascii'))}",
    ]
    if tx.reverses_sequence is not None:
        lines.append(f"  reverses: {tx.reverses_sequence}")
    lines.extend(
        f"  {names[account]}  {major(amount, currency)} {currency}"
        for _line, account, amount, currency in tx.postings
    )
    return "\n".join(lines) + "\n\n" + _documents(tx, names)


def document_path(sha256: str, media_type: str) -> str:
    """Where a beancount export expects a document: documents/<sha256>.<ext> beside the export (written there
    by `pledgebank documents copy`), never a name the uploader chose."""
    return f"documents/{sha256}.{EXTENSIONS.get(media_type, 'bin')}"


def _documents(tx: ExportTransaction, names: dict[int, str]) -> str:
    """A `document` directive per supporting document, on the transaction's first account and date, linked
    to it (^seq-N); its id, name, size and hash as metadata (no `seq`, so readers of the export skip it; not
    `filename`, which beancount keeps for the source file's name)."""
    if not tx.documents or not tx.postings:
        return ""
    account = names[tx.postings[0][1]]
    return "".join(
        f"{tx.effective_date.isoformat()} document {account} "
        f"{text(document_path(ref.sha256, ref.media_type))} ^seq-{tx.sequence}\n"
        f"  document_id: {ref.id}\n"
        f"  document_name: {text(ref.filename)}\n"
        f"  kind: {text(ref.kind)}\n"
        f"  size: {ref.size}\n"
        f"  sha256: {text(ref.sha256)}\n\n"
        for ref in tx.documents
    )


def _opening(
    day: date, opening: dict[int, int], accounts: dict[int, AccountInfo], names: dict[int, str]
) -> str:
    lines = [f'{day.isoformat()} * "Balances brought forward" ^brought-forward']
    lines.extend(
        f"  {names[account]}  {major(amount, accounts[account].currency)} {accounts[account].currency}"
        for account, amount in sorted(opening.items())
        if amount
    )
    return "\n".join(lines) + "\n\n" if len(lines) > 1 else ""


def _assertions(
    month_ends: Iterator[tuple[date, dict[int, int]]], accounts: dict[int, AccountInfo], names: dict[int, str]
) -> Iterator[str]:
    # beancount's balance includes sub-accounts, so each account's assertion sums its descendants too.
    family = {
        account.id: [
            other.id
            for other in accounts.values()
            if other.code == account.code or other.code.startswith(account.code + ":")
        ]
        for account in accounts.values()
    }
    for end, totals in month_ends:
        day = (end + timedelta(days=1)).isoformat()
        lines = []
        for account_id in sorted(totals):
            info = accounts[account_id]
            amount = sum(totals.get(member, 0) for member in family[account_id])
            lines.append(f"{day} balance {names[account_id]}  {major(amount, info.currency)} {info.currency}")
        if lines:
            yield f"; balances at the end of {end.isoformat()}\n" + "\n".join(lines) + "\n\n"


def write(job: ExportJob) -> Iterator[str]:
    """The header, options, accounts, transactions, month-end balance assertions and the trailer."""
    scope = job.scope
    accounts = {a.id: a for a in scope.accounts}
    names = {a.id: tool_account(a.code) for a in scope.accounts}
    opened = scope.filters.date_from or scope.first_date or scope.generated_at.date()
    head = [f"; {line}" for line in comment_lines(scope, "beancount (bean-check)")]
    head.append(f"; {HEADER_MARK} {compact(header_statement(scope, NAME))}")
    head.append(f'option "title" {text(scope.neighbourhood)}')
    head.append(f'option "operating_currency" {text(scope.currency)}')
    head.append("")
    for currency in sorted({a.currency for a in scope.accounts}):
        head.append(f"{opened.isoformat()} commodity {currency}")
    for account in scope.accounts:
        head.append(f"{opened.isoformat()} open {names[account.id]} {account.currency}")
        head.append(f"  code: {text(account.code)}")
        head.append(f"  name: {text(account.name)}")
    yield "\n".join(head) + "\n\n"
    if scope.filters.date_from is not None:
        yield _opening(scope.filters.date_from, job.opening, accounts, names)
    yield from dated_journal.body(job, names, _transaction, _assertions)


def unescape(literal: str) -> str:
    """The text of a beancount string literal's inside (the inverse of `text`, but for its quotes)."""
    return re.sub(r"\\(.)", r"\1", literal)


SYNTAX = JournalSyntax(
    start=re.compile(r"^\d{4}-\d{2}-\d{2} (?:\*|balance|commodity)"),
    heading=re.compile(r'^(?P<date>\d{4}-\d{2}-\d{2}) \* "(?P<description>(?:[^"\\]|\\.)*)"'),
    unescape=unescape,
    account=re.compile(r"^\d{4}-\d{2}-\d{2} open (?P<name>\S+)(?P<code>)"),
    account_code=re.compile(r'^  code: "(?P<code>[^"]*)"$'),
    posting=re.compile(rf"^  (?P<account>[A-Z][^\s]*)\s+{AMOUNT_PATTERN}$"),
    fields={
        "sequence": re.compile(r"^  seq: (?P<value>\d+)$"),
        "hash": re.compile(r'^  hash: "(?P<value>[0-9a-f]*)"$'),
        "canonical": re.compile(r'^  canonical: "(?P<value>[A-Za-z0-9+/=]*)"$'),
    },
)


sniff = dated_journal.sniffer(NAME)


def read(export: ExportFile) -> Iterator[Record]:
    """Each transaction with its metadata, put back into sequence order."""
    return read_journal(export, SYNTAX)


FORMAT = LedgerFormat(
    name=NAME,
    label="beancount: checks with bean-check",
    media_type=MEDIA_TYPE,
    extension=EXTENSION,
    write=write,
    sniff=sniff,
    read=read,
    by_date=True,
)
