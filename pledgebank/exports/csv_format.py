"""CSV: one row per posting, for spreadsheets (UTF-8 with a byte-order mark, a header row, no formulas)."""

from __future__ import annotations

from collections.abc import Iterator

from pledgebank.exports.job import ExportJob
from pledgebank.exports.naming import major

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
)
MEDIA_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
CHUNK = 64 * 1024
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets an apostrophe before it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def field(text: str) -> str:
    """A field as the csv module writes it (minimal quoting), for text that is reused on many rows."""
    if '"' in text or "," in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


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
        tail = f",{field(cell(tx.source))},{tx.hash.hex()}\r\n"
        for line, account, amount, currency in tx.postings:
            text = f"{head}{line},{accounts[account]},{major(amount, currency)},{currency}{tail}"
            rows.append(text)
            size += len(text)
        if size > CHUNK:
            yield "".join(rows)
            rows, size = [], 0
    yield "".join(rows)
