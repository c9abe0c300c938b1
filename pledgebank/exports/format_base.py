"""The shape every export format has: what it is asked for, what it gives back, and what the registry needs.

A format is a module with a `FORMAT` that satisfies `ExportFormat`, listed once in
pledgebank.exports.formats; the command line, the export page and verify-export read the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from pledgebank.books.models import Book
from pledgebank.exports.exportfiles import ExportFile, Peek, Record
from pledgebank.exports.reader import Filters


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export, for whom and when; `zone`, `grants_prefix` and `base_url` matter only to the formats
    that use them (360Giving names award days in the local zone, starts its identifiers with the prefix and
    links the neighbourhood's pages at the site's address)."""

    book: Book
    filters: Filters
    now: datetime
    actor_id: int | None = None
    zone: str = "UTC"
    grants_prefix: str = "360G-pledgebank"
    base_url: str = ""


class Download(Protocol):
    """An export ready to stream. Set `progress` before streaming to be told how many more of `total` items
    (transactions, grants) were written; `summary` is one line saying what it holds."""

    filename: str
    media_type: str
    chunks: Iterator[str]
    progress: Callable[[int], None] | None

    @property
    def total(self) -> int:
        """How many items the export holds (what `progress` counts)."""
        ...

    @property
    def summary(self) -> str:
        """What the export holds, in one line (for the command line)."""
        ...


class ExportFormat(Protocol):
    """One export format: how it is offered and named, how it is written, recognised and (maybe) read back."""

    @property
    def name(self) -> str:
        """The name chosen on the command line and the export page (csv, jsonl, ...)."""
        ...

    @property
    def label(self) -> str:
        """What the export page says about it."""
        ...

    @property
    def media_type(self) -> str:
        """The media type of its downloads."""
        ...

    @property
    def extension(self) -> str:
        """The file name extension of its downloads, without the dot."""
        ...

    @property
    def sealed(self) -> bool:
        """True when its files carry each transaction's sealed bytes, so its chain can be re-hashed."""
        ...

    @property
    def read(self) -> Callable[[ExportFile], Iterator[Record]] | None:
        """Its reader (a ledger export's transactions as written), or None for a format not read back."""
        ...

    def sniff(self, peek: Peek) -> bool:
        """True when the file that begins like this is one of this format's exports."""
        ...

    def open(self, session: Session, request: ExportRequest) -> Download:
        """Prepare the export; raises InvalidInput for a choice it cannot export."""
        ...
