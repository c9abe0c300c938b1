"""The export formats, each listed once: the command line, the export page and verify-export offer and
recognise exactly these.

Adding a format is a module with a `FORMAT` (see pledgebank.exports.format_base; a ledger format is a
service.LedgerFormat with its writer, sniffing and reader) and one line here.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from pledgebank.errors import InvalidInput
from pledgebank.exports import beancount_format, csv_format, giving360, hledger_format, jsonl_format
from pledgebank.exports.exportfiles import ExportFile, Peek, UnreadableExport
from pledgebank.exports.format_base import Download, ExportFormat, ExportRequest

FORMATS: tuple[ExportFormat, ...] = (
    csv_format.FORMAT,
    jsonl_format.FORMAT,
    beancount_format.FORMAT,
    hledger_format.FORMAT,
    giving360.FORMAT,
)
_BY_NAME = {fmt.name: fmt for fmt in FORMATS}


def names() -> list[str]:
    """Every format's name, in the order they are offered."""
    return list(_BY_NAME)


def get(name: str) -> ExportFormat:
    """The format called `name`; raises InvalidInput (naming the format field) for any other name."""
    fmt = _BY_NAME.get(name)
    if fmt is None:
        raise InvalidInput.field("format", f"There is no export format called {name!r}.")
    return fmt


def open_export(session: Session, name: str, request: ExportRequest) -> Download:
    """Prepare the export in the format called `name`; streaming it to the end records a ledger export in
    the session (the caller commits). Raises InvalidInput for an unknown format or a choice it cannot export.
    """
    return get(name).open(session, request)


def sniff(path: Path) -> tuple[ExportFormat, Peek]:
    """The format of the export in the file, and its beginning; raises UnreadableExport if it is none."""
    peek = Peek.of(path)
    for fmt in FORMATS:
        if fmt.sniff(peek):
            return fmt, peek
    raise UnreadableExport(f"{path.name} is not a PledgeBank ledger export")


def read_export(path: Path) -> ExportFile:
    """The ledger export in the file, ready to read with its format's reader.

    Raises UnreadableExport for a file that is no export, or one in a format that is not read back.
    """
    fmt, peek = sniff(path)
    if fmt.read is None:
        raise UnreadableExport(f"{path.name} is not a PledgeBank ledger export: it is {fmt.label}")
    return ExportFile(
        path,
        format=fmt.name,
        read=fmt.read,
        carries_bytes=fmt.sealed,
        header=peek.statement,
    )
