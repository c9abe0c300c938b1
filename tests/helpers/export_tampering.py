"""Changing what an export shows, as someone editing the file would: a date, a description, an amount.

Each change touches one transaction (by sequence) in a CSV, JSON Lines, beancount or hledger export and
returns what it changed (old value, new value), written as the file writes it. `rehash_rewrite` goes further:
it changes an amount in the sealed bytes too and recomputes every hash from there on, as someone who knows
how the chain is made would, taking the sealed bytes from a JSON Lines export of the same book.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from pledgebank.ledger.canonical import chain_hash, decode, encode

LEDGER_FORMATS = ("csv", "jsonl", "beancount", "hledger")
SEALED_FORMATS = ("jsonl", "beancount", "hledger")
_AMOUNT = r"(?P<amount>-?\d+(?:\.\d+)?) (?P<currency>[A-Z]{3})"
_HEADINGS = {
    "hledger": r"^(?P<date>\d{{4}}-\d{{2}}-\d{{2}}) \* \({sequence}\) (?P<words>.*)$",
    "beancount": r'^(?P<date>\d{{4}}-\d{{2}}-\d{{2}}) \* "(?P<words>(?:[^"\\]|\\.)*)"',
}
_POSTINGS = {
    "hledger": re.compile(rf"^    (?P<account>[A-Z]\S*)\s+{_AMOUNT}$"),
    "beancount": re.compile(rf"^  (?P<account>[A-Z]\S*)\s+{_AMOUNT}$"),
}

Change = Callable[[str], str]


def later(text: str, days: int = 2) -> str:
    """An ISO date moved `days` later."""
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


def tenfold(text: str) -> str:
    """An amount in major units, ten times larger, with the same decimals (250.00 -> 2500.00)."""
    value = Decimal(text) * 10
    return str(value.quantize(Decimal(text)) if "." in text else value)


# --- CSV ---------------------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def _csv_write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8", newline="")


def _csv_change(path: Path, sequence: int, column: str, change: Change, first_only: bool) -> tuple[str, str]:
    columns, rows = _csv_rows(path)
    mine = [row for row in rows if row["sequence"] == str(sequence)]
    old = mine[0][column]
    for row in mine[:1] if first_only else mine:
        row[column] = change(row[column])
    _csv_write(path, columns, rows)
    return old, mine[0][column]


def add_csv_column(path: Path, name: str, value: str) -> None:
    """Add a column to a CSV export (as a later version of the export might), the same value on every row."""
    columns, rows = _csv_rows(path)
    _csv_write(path, [*columns, name], [{**row, name: value} for row in rows])


# --- JSON Lines --------------------------------------------------------------------------------------------


def _jsonl_change(path: Path, sequence: int, change: Callable[[dict], tuple[str, str]]) -> tuple[str, str]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    (target,) = [line for line in lines if line.get("sequence") == sequence]
    found = change(target)
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines),
        encoding="utf-8",
    )
    return found


def _jsonl_amount(document: dict) -> tuple[str, str]:
    posting = document["postings"][0]
    old = posting["amount"]
    posting["amount"] = tenfold(old)
    posting["minor"] *= 10
    return old, posting["amount"]


def _jsonl_field(name: str, change: Change) -> Callable[[dict], tuple[str, str]]:
    def apply(document: dict) -> tuple[str, str]:
        old = document[name]
        document[name] = change(old)
        return old, document[name]

    return apply


# --- journals ----------------------------------------------------------------------------------------------


def _journal_lines(path: Path, fmt: str, sequence: int) -> tuple[list[str], int]:
    """The file's lines and the index of the transaction's first line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if fmt == "hledger":
        heading = re.compile(_HEADINGS[fmt].format(sequence=sequence))
        return lines, next(n for n, line in enumerate(lines) if heading.match(line))
    marker = lines.index(f"  seq: {sequence}")
    return lines, marker - 1


def _journal_change(path: Path, fmt: str, sequence: int, part: str, change: Change) -> tuple[str, str]:
    lines, start = _journal_lines(path, fmt, sequence)
    if part == "amount":
        index = next(n for n in range(start, len(lines)) if _POSTINGS[fmt].match(lines[n]))
        found = _POSTINGS[fmt].match(lines[index])
        assert found is not None
        group = "amount"
    else:
        index = start
        found = re.match(_HEADINGS[fmt].format(sequence=sequence), lines[index])
        assert found is not None
        group = part
    old = found[group]
    new = change(old)
    lines[index] = lines[index][: found.start(group)] + new + lines[index][found.end(group) :]
    path.write_text("\n".join(lines), encoding="utf-8")
    return old, new


# --- the changes -------------------------------------------------------------------------------------------


def change_date(path: Path, fmt: str, sequence: int, days: int = 2) -> tuple[str, str]:
    """Move the transaction's date as shown `days` later; returns (old date, new date)."""
    if fmt == "csv":
        return _csv_change(path, sequence, "date", lambda text: later(text, days), first_only=False)
    if fmt == "jsonl":
        return _jsonl_change(path, sequence, _jsonl_field("date", lambda text: later(text, days)))
    return _journal_change(path, fmt, sequence, "date", lambda text: later(text, days))


def change_description(path: Path, fmt: str, sequence: int, words: str) -> tuple[str, str]:
    """Put other words in the transaction's description; returns (old words, new words)."""
    if fmt == "csv":
        return _csv_change(path, sequence, "description", lambda _text: words, first_only=False)
    if fmt == "jsonl":
        return _jsonl_change(path, sequence, _jsonl_field("description", lambda _text: words))
    return _journal_change(path, fmt, sequence, "words", lambda _text: words)


def change_amount(path: Path, fmt: str, sequence: int) -> tuple[str, str]:
    """Make the transaction's first posting ten times larger, as shown; returns (old amount, new amount)."""
    if fmt == "csv":
        return _csv_change(path, sequence, "amount", tenfold, first_only=True)
    if fmt == "jsonl":
        return _jsonl_change(path, sequence, _jsonl_amount)
    return _journal_change(path, fmt, sequence, "amount", tenfold)


def rehash_rewrite(path: Path, fmt: str, sequence: int, sealed_source: Path) -> tuple[str, str]:
    """Make the transaction's first posting ten times larger as shown and (where the file carries them) in
    its sealed bytes, then recompute its hash and every later one, throughout the file (hash columns, hash
    tags, previous hashes, header and trailer). `sealed_source` is a JSON Lines export holding the chain.
    """
    documents = [json.loads(line) for line in sealed_source.read_text(encoding="utf-8").splitlines()]
    chain = [line for line in documents if line.get("type") == "transaction"]
    renamed: dict[str, str] = {}
    canonicals: dict[int, tuple[bytes, bytes]] = {}
    previous: bytes | None = None
    for line in chain:
        canonical = line["canonical"].encode("ascii")
        if line["sequence"] == sequence:
            document = decode(canonical)
            document["postings"][0][1] *= 10
            canonicals[sequence] = (canonical, encode(document))
            canonical = encode(document)
            previous = bytes.fromhex(line["prev_hash"])
        if previous is not None:
            previous = chain_hash(previous, canonical)
            renamed[line["hash"]] = previous.hex()
    found = change_amount(path, fmt, sequence)
    text = path.read_text(encoding="utf-8")
    old_bytes, new_bytes = canonicals[sequence]
    if fmt == "jsonl":
        text = text.replace(json.dumps(old_bytes.decode())[1:-1], json.dumps(new_bytes.decode())[1:-1])
    elif fmt in ("beancount", "hledger"):
        text = text.replace(base64.b64encode(old_bytes).decode(), base64.b64encode(new_bytes).decode())
    for old_hex, new_hex in renamed.items():
        text = text.replace(old_hex, new_hex)
    path.write_text(text, encoding="utf-8")
    return found
