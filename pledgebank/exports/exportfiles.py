"""Reading exports back: the header, each transaction's sequence, hash, sealed bytes and postings as shown.

The journal formats are read line by line with the patterns their writers produce. They list transactions
by date, so their records are put back into sequence (the chain's) order as they are read; only the account
names and the records that arrive ahead of an earlier sequence are held, so memory grows with how far
entries were backdated, not with the length of the file.
"""

from __future__ import annotations

import base64
import binascii
import csv
import heapq
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pledgebank.exports.header import HEADER_MARK, TRAILER_MARK
from pledgebank.exports.naming import code_of
from pledgebank.ledger.errors import LedgerError
from pledgebank.ledger.money import Money

Shown = tuple[tuple[str, int, str], ...]


class UnreadableExport(Exception):
    """The file is not an export this service wrote, or is damaged past reading."""


@dataclass(frozen=True, slots=True)
class Record:
    """One transaction of an export: sequence, hash, sealed bytes (when the format carries them), postings."""

    sequence: int
    hash: bytes
    canonical: bytes | None
    shown: Shown


def _amount(text: str, currency: str, where: str) -> int:
    try:
        return Money.from_decimal(text, currency).amount
    except LedgerError as error:
        raise UnreadableExport(f"{where}: {error}") from error


def _hash(text: str, where: str) -> bytes:
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) != 32:
        raise UnreadableExport(f"{where}: {text[:20]!r} is not a SHA-256 hash")
    return value


class ExportFile:
    """An export on disk; iterate `records()` once, then `trailer` is known."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = self._sniff()
        self.header: dict[str, Any] | None = None
        self.trailer: dict[str, Any] | None = None
        if self.format != "csv":
            self.header = self._read_header()

    @property
    def carries_bytes(self) -> bool:
        """True when each transaction's canonical bytes are in the file, so its chain can be re-hashed."""
        return self.format != "csv"

    def _sniff(self) -> str:
        with self.path.open(encoding="utf-8-sig") as file:
            first = file.readline()
        if first.startswith('{"type":"header"'):
            return "jsonl"
        # CSV exports made before descriptions were added start "sequence,date,kind".
        if first.startswith(("sequence,date,kind", "sequence,date,description,kind")):
            return "csv"
        with self.path.open(encoding="utf-8") as file:
            for line in file:
                if line.startswith(f"; {HEADER_MARK} "):
                    fmt = json.loads(line.split(" ", 2)[2]).get("format")
                    if fmt in ("beancount", "hledger"):
                        return fmt
                    break
                if not line.startswith(";"):
                    break
        raise UnreadableExport(f"{self.path.name} is not a PledgeBank ledger export")

    def _read_header(self) -> dict[str, Any]:
        with self.path.open(encoding="utf-8") as file:
            for line in file:
                if self.format == "jsonl":
                    return json.loads(line)
                if line.startswith(f"; {HEADER_MARK} "):
                    return json.loads(line.split(" ", 2)[2])
        raise UnreadableExport(f"{self.path.name} has no header")

    def records(self) -> Iterator[Record]:
        """Each transaction: in file order for CSV and JSON Lines, in sequence order for the journals."""
        if self.format == "jsonl":
            yield from self._jsonl()
        elif self.format == "csv":
            yield from self._csv()
        else:
            yield from in_sequence(self._journal(), (self.header or {}).get("first_sequence"))

    def _jsonl(self) -> Iterator[Record]:
        with self.path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                where = f"{self.path.name} line {number}"
                try:
                    document = json.loads(line)
                except ValueError as error:
                    raise UnreadableExport(f"{where}: not JSON") from error
                if document.get("type") == "trailer":
                    self.trailer = document
                elif document.get("type") == "transaction":
                    shown = []
                    for posting in document["postings"]:
                        amount = _amount(posting["amount"], posting["currency"], where)
                        if amount != posting["minor"]:
                            raise UnreadableExport(f"{where}: amount and minor units disagree")
                        shown.append((posting["account"], amount, posting["currency"]))
                    yield Record(
                        document["sequence"],
                        _hash(document["hash"], where),
                        str(document["canonical"]).encode("ascii"),
                        tuple(shown),
                    )

    def _csv(self) -> Iterator[Record]:
        with self.path.open(encoding="utf-8-sig", newline="") as file:
            current: list[dict[str, str]] = []
            for row in csv.DictReader(file):
                if current and row["sequence"] != current[0]["sequence"]:
                    yield self._csv_record(current)
                    current = []
                current.append(row)
            if current:
                yield self._csv_record(current)

    def _csv_record(self, rows: list[dict[str, str]]) -> Record:
        where = f"{self.path.name} sequence {rows[0]['sequence']}"
        shown = tuple(
            (row["account"], _amount(row["amount"], row["currency"], where), row["currency"]) for row in rows
        )
        if len({row["hash"] for row in rows}) != 1:
            raise UnreadableExport(f"{where}: its rows disagree about its hash")
        return Record(int(rows[0]["sequence"]), _hash(rows[0]["hash"], where), None, shown)

    def _journal(self) -> Iterator[Record]:
        syntax = BEANCOUNT if self.format == "beancount" else HLEDGER
        names: dict[str, str] = {}
        current: dict[str, Any] | None = None
        last_account: str | None = None
        with self.path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                line = line.rstrip("\n")
                where = f"{self.path.name} line {number}"
                if line.startswith(f"; {TRAILER_MARK} "):
                    self.trailer = json.loads(line.split(" ", 2)[2])
                    continue
                if (declared := syntax.account.match(line)) is not None:
                    last_account = declared["name"]
                    if declared["code"]:
                        names[last_account] = declared["code"]
                    continue
                if last_account and (code := BEANCOUNT_CODE.match(line)) and self.format == "beancount":
                    names[last_account] = code["code"]
                    continue
                if syntax.start.match(line) or not line.strip():
                    if current is not None and current.get("sequence") is not None:
                        yield _journal_record(current, where)
                    current = {"postings": []} if line.strip() else None
                    last_account = None
                    continue
                if current is None:
                    continue
                for field, pattern in syntax.fields.items():
                    if (found := pattern.search(line)) is not None:
                        current[field] = found["value"]
                if (posting := syntax.posting.match(line)) is not None:
                    account = names.get(posting["account"]) or code_of(posting["account"])
                    amount = _amount(posting["amount"], posting["currency"], where)
                    current["postings"].append((account, amount, posting["currency"]))
        if current is not None and current.get("sequence") is not None:
            yield _journal_record(current, f"{self.path.name} end")


def in_sequence(records: Iterator[Record], first: int | None) -> Iterator[Record]:
    """Records read in date order, given back in sequence order from `first` on.

    Each is held only until every sequence before it has come (a gap, as in a fund's export, holds the rest
    to the end); a repeated sequence is given back as it comes, for the chain check to refuse.
    """
    waiting: list[tuple[int, int, Record]] = []
    expected = first
    for arrived, record in enumerate(records):
        heapq.heappush(waiting, (record.sequence, arrived, record))
        while waiting and expected is not None and waiting[0][0] <= expected:
            sequence, _arrived, ready = heapq.heappop(waiting)
            expected = max(expected, sequence + 1)
            yield ready
    while waiting:
        yield heapq.heappop(waiting)[2]


def _journal_record(current: dict[str, Any], where: str) -> Record:
    try:
        canonical = base64.b64decode(current.get("canonical", ""), validate=True)
    except (binascii.Error, ValueError) as error:
        raise UnreadableExport(f"{where}: canonical bytes are not base64") from error
    return Record(
        int(current["sequence"]), _hash(current.get("hash", ""), where), canonical, tuple(current["postings"])
    )


@dataclass(frozen=True, slots=True)
class _Syntax:
    start: re.Pattern[str]
    account: re.Pattern[str]
    posting: re.Pattern[str]
    fields: dict[str, re.Pattern[str]]


_AMOUNT = r"(?P<amount>-?\d+(?:\.\d+)?) (?P<currency>[A-Z]{3})"
BEANCOUNT_CODE = re.compile(r'^  code: "(?P<code>[^"]*)"$')
BEANCOUNT = _Syntax(
    start=re.compile(r"^\d{4}-\d{2}-\d{2} (?:\*|balance|commodity)"),
    account=re.compile(r"^\d{4}-\d{2}-\d{2} open (?P<name>\S+)(?P<code>)"),
    posting=re.compile(rf"^  (?P<account>[A-Z][^\s]*)\s+{_AMOUNT}$"),
    fields={
        "sequence": re.compile(r"^  seq: (?P<value>\d+)$"),
        "hash": re.compile(r'^  hash: "(?P<value>[0-9a-f]*)"$'),
        "canonical": re.compile(r'^  canonical: "(?P<value>[A-Za-z0-9+/=]*)"$'),
    },
)
HLEDGER = _Syntax(
    start=re.compile(r"^\d{4}-\d{2}-\d{2} "),
    account=re.compile(r"^account (?P<name>\S+)\s+; code:(?P<code>[^,\s]+)"),
    posting=re.compile(rf"^    (?P<account>[A-Z]\S*)\s+{_AMOUNT}$"),
    fields={
        "sequence": re.compile(r"^    ; seq:(?P<value>\d+)"),
        "hash": re.compile(r"^    ; hash:(?P<value>[0-9a-f]*)"),
        "canonical": re.compile(r"^    ; canonical:(?P<value>[A-Za-z0-9+/=]*)"),
    },
)
