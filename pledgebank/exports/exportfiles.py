"""Reading exports back: a first look at a file (to recognise its format), then each transaction's sequence,
hash, sealed bytes, and what a reader of the file sees (date, description, postings with their funds), read
by its format's reader.

The journal formats are read line by line with the patterns their writers produce (`JournalSyntax`, given by
each journal format). They list transactions by date, so their records are put back into sequence (the
chain's) order as they are read; only the account names and the records that arrive ahead of an earlier
sequence are held, so memory grows with how far entries were backdated, not with the length of the file.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pledgebank.exports.header import HEADER_MARK, TRAILER_MARK
from pledgebank.exports.naming import code_of, one_line
from pledgebank.ledger.chart import fund_of
from pledgebank.ledger.errors import LedgerError
from pledgebank.ledger.money import Money

Shown = tuple[tuple[str, int, str], ...]


class UnreadableExport(Exception):
    """The file is not an export this service wrote, or is damaged past reading."""


@dataclass(frozen=True, slots=True)
class Record:
    """One transaction of an export: sequence, hash, sealed bytes (when the format carries them), postings
    (account, amount, currency) as shown, and what else a reader sees: the date (ISO), the description (on
    one line, see naming.one_line) and each posting's fund (None for a book-level account), where shown."""

    sequence: int
    hash: bytes
    canonical: bytes | None
    shown: Shown
    date: str | None = None
    description: str | None = None
    funds: tuple[str | None, ...] | None = None


def amount_of(text: str, currency: str, where: str) -> int:
    """An amount as written (major units) in minor units; raises UnreadableExport when it is not one."""
    try:
        return Money.from_decimal(text, currency).amount
    except LedgerError as error:
        raise UnreadableExport(f"{where}: {error}") from error


def hash_of(text: str, where: str) -> bytes:
    """A SHA-256 hash written in hex; raises UnreadableExport when it is not one."""
    try:
        value = bytes.fromhex(text)
    except ValueError:
        value = b""
    if len(value) != 32:
        raise UnreadableExport(f"{where}: {text[:20]!r} is not a SHA-256 hash")
    return value


def _statement(text: str) -> dict[str, Any] | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) and document.get("export") == HEADER_MARK else None


@dataclass(frozen=True, slots=True)
class Peek:
    """The beginning of a file: its first line (without a byte-order mark) and the statement a ledger export
    makes about itself (a JSON first line, or a marked comment among the leading comments), if any."""

    first_line: str
    statement: dict[str, Any] | None

    @classmethod
    def of(cls, path: Path) -> Peek:
        """Look at the beginning of the file; raises UnreadableExport when it is not UTF-8 text."""
        try:
            with path.open(encoding="utf-8-sig") as file:
                first = file.readline()
                statement = _statement(first) if first.startswith("{") else None
                line = first
                while statement is None and line.startswith(";"):
                    if line.startswith(f"; {HEADER_MARK} "):
                        statement = _statement(line.split(" ", 2)[2])
                        break
                    line = file.readline()
        except UnicodeDecodeError as error:
            raise UnreadableExport(f"{path.name} is not a PledgeBank ledger export") from error
        return cls(first.rstrip("\r\n"), statement)

    def states_format(self, name: str) -> bool:
        """True when the file's statement says it is an export in the format called `name`."""
        return self.statement is not None and self.statement.get("format") == name


class ExportFile:
    """A ledger export on disk, with the reader of its format; iterate `records()` once, then `trailer` is
    known. `header` is the statement the file makes about itself (a CSV export makes none)."""

    def __init__(
        self,
        path: Path,
        *,
        format: str,
        read: Callable[[ExportFile], Iterator[Record]],
        carries_bytes: bool,
        header: dict[str, Any] | None,
    ) -> None:
        self.path = path
        self.format = format
        self.carries_bytes = carries_bytes
        self.header = header
        self.trailer: dict[str, Any] | None = None
        self._read = read

    def records(self) -> Iterator[Record]:
        """Each transaction, in sequence order (a journal's are put back into it as they are read)."""
        return self._read(self)


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


@dataclass(frozen=True, slots=True)
class JournalSyntax:
    """The line patterns of a journal format's writer: where a transaction starts, account declarations
    (and, when the code is on a metadata line of its own, that line), postings and the metadata fields."""

    start: re.Pattern[str]
    account: re.Pattern[str]
    posting: re.Pattern[str]
    fields: dict[str, re.Pattern[str]]
    account_code: re.Pattern[str] | None = None
    # A transaction's first line, with its `date` and `description` (as written: `unescape` reads it back).
    heading: re.Pattern[str] | None = None
    unescape: Callable[[str], str] = str


AMOUNT_PATTERN = r"(?P<amount>-?\d+(?:\.\d+)?) (?P<currency>[A-Z]{3})"


def read_journal(export: ExportFile, syntax: JournalSyntax) -> Iterator[Record]:
    """A journal's transactions in sequence order (see in_sequence), its trailer noted as it is passed."""
    yield from in_sequence(_journal(export, syntax), (export.header or {}).get("first_sequence"))


def _journal(export: ExportFile, syntax: JournalSyntax) -> Iterator[Record]:
    names: dict[str, str] = {}
    current: dict[str, Any] | None = None
    last_account: str | None = None
    with export.path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            line = line.rstrip("\n")
            where = f"{export.path.name} line {number}"
            if line.startswith(f"; {TRAILER_MARK} "):
                export.trailer = json.loads(line.split(" ", 2)[2])
                continue
            if (declared := syntax.account.match(line)) is not None:
                last_account = declared["name"]
                if declared["code"]:
                    names[last_account] = declared["code"]
                continue
            if last_account and syntax.account_code and (code := syntax.account_code.match(line)):
                names[last_account] = code["code"]
                continue
            if syntax.start.match(line) or not line.strip():
                if current is not None and current.get("sequence") is not None:
                    yield _journal_record(current, where)
                current = {"postings": []} if line.strip() else None
                if current is not None and syntax.heading and (heading := syntax.heading.match(line)):
                    current["date"] = heading["date"]
                    current["description"] = one_line(syntax.unescape(heading["description"]))
                last_account = None
                continue
            if current is None:
                continue
            for field, pattern in syntax.fields.items():
                if (found := pattern.search(line)) is not None:
                    current[field] = found["value"]
            if (posting := syntax.posting.match(line)) is not None:
                account = names.get(posting["account"]) or code_of(posting["account"])
                amount = amount_of(posting["amount"], posting["currency"], where)
                current["postings"].append((account, amount, posting["currency"]))
    if current is not None and current.get("sequence") is not None:
        yield _journal_record(current, f"{export.path.name} end")


def _journal_record(current: dict[str, Any], where: str) -> Record:
    try:
        canonical = base64.b64decode(current.get("canonical", ""), validate=True)
    except (binascii.Error, ValueError) as error:
        raise UnreadableExport(f"{where}: canonical bytes are not base64") from error
    return Record(
        int(current["sequence"]),
        hash_of(current.get("hash", ""), where),
        canonical,
        tuple(current["postings"]),
        date=current.get("date"),
        description=current.get("description"),
        funds=tuple(fund_of(account) for account, _amount, _currency in current["postings"]),
    )
