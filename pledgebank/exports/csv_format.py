"""CSV: one row per posting, for spreadsheets (UTF-8 with a byte-order mark, a header row, no formulas).

The last column, `documents`, names each transaction's supporting documents (see `document_refs`); a CSV
made before it existed simply lacks it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from pledgebank.exports.exportfiles import ExportFile, Peek, Record, UnreadableExport, amount_of, hash_of
from pledgebank.exports.job import ExportJob
from pledgebank.exports.naming import major, one_line
from pledgebank.exports.reader import ExportTransaction
from pledgebank.exports.service import LedgerFormat

COLUMNS = (
    "sequence",
    "date",
    "description",
    "kind",
    "memo",
    "line",
    "account",
    "account_name",
    "fund",
    "amount",
    "currency",
    "source",
    "hash",
    "documents",
)
MEDIA_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
CHUNK = 64 * 1024
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets an apostrophe before it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def uncell(text: str) -> str:
    """The text a cell was written from (the inverse of `cell`)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def field(text: str) -> str:
    """A field as the csv module writes it (minimal quoting), for text that is reused on many rows."""
    if '"' in text or "," in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def document_refs(tx: ExportTransaction) -> str:
    """The `documents` cell: each supporting document as "#<id> <file name> sha256:<hash>", joined by "; "
    (empty when there is none; the same on every row of the transaction)."""
    return "; ".join(f"#{ref.id} {ref.filename} sha256:{ref.sha256}" for ref in tx.documents)


def write(job: ExportJob) -> Iterator[str]:
    """The header row, then a row per posting in sequence and line order.

    The fields of a transaction and of an account are quoted once and reused on each of their rows.
    """
    accounts = {
        a.id: f"{field(cell(a.code))},{field(cell(a.name))},{field(cell(a.fund or ''))}"
        for a in job.scope.accounts
    }
    yield "\ufeff" + ",".join(COLUMNS) + "\r\n"
    rows: list[str] = []
    size = 0
    for tx in job.transactions:
        words = field(cell(tx.description or tx.memo))
        kind, memo = field(cell(tx.kind)), field(cell(tx.memo))
        head = f"{tx.sequence},{tx.effective_date.isoformat()},{words},{kind},{memo},"
        tail = f",{field(cell(tx.source))},{tx.hash.hex()},{field(cell(document_refs(tx)))}\r\n"
        for line, account, amount, currency in tx.postings:
            text = f"{head}{line},{accounts[account]},{major(amount, currency)},{currency}{tail}"
            rows.append(text)
            size += len(text)
        if size > CHUNK:
            yield "".join(rows)
            rows, size = [], 0
    yield "".join(rows)


def sniff(peek: Peek) -> bool:
    """A CSV export starts with its header row (made before descriptions were added: without that column)."""
    return peek.first_line.startswith((",".join(COLUMNS[:3]), "sequence,date,kind"))


def read(export: ExportFile) -> Iterator[Record]:
    """Each transaction from its rows (which follow one another), in file order; no sealed bytes. Columns
    this reader does not know are passed over."""
    with export.path.open(encoding="utf-8-sig", newline="") as file:
        current: list[dict[str, str]] = []
        for row in csv.DictReader(file):
            if current and row["sequence"] != current[0]["sequence"]:
                yield _record(export, current)
                current = []
            current.append(row)
        if current:
            yield _record(export, current)


def _record(export: ExportFile, rows: list[dict[str, str]]) -> Record:
    where = f"{export.path.name} sequence {rows[0]['sequence']}"
    shown = tuple(
        (row["account"], amount_of(row["amount"], row["currency"], where), row["currency"]) for row in rows
    )
    for column in ("hash", "date", "description"):
        if len({row.get(column) for row in rows}) != 1:
            raise UnreadableExport(f"{where}: its rows disagree about its {column}")
    words = rows[0].get("description")
    return Record(
        int(rows[0]["sequence"]),
        hash_of(rows[0]["hash"], where),
        None,
        shown,
        date=rows[0]["date"],
        description=one_line(uncell(words)) if words is not None else None,
        funds=tuple(uncell(row["fund"]) or None for row in rows),
    )


FORMAT = LedgerFormat(
    name="csv",
    label="CSV: one row per posting, for spreadsheets",
    media_type=MEDIA_TYPE,
    extension=EXTENSION,
    write=write,
    sniff=sniff,
    read=read,
    sealed=False,
)
