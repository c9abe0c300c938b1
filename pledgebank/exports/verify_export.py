"""Proving that one export extends another: NEW re-hashes from its own content and passes through OLD's head.

NEW must be a whole chain (no fund filter, no gaps) in a format that carries each transaction's canonical
bytes (JSON Lines, beancount, hledger). Each of its transactions must follow the one before, its date and
postings as shown must be the ones sealed, and its hash must be SHA-256(previous hash || canonical bytes).
OLD (any format, CSV included) is read alongside: every transaction of OLD inside NEW's range must show the
same date, description and postings (account, amount, currency, fund) in NEW and have the same hash, and NEW
must reach at least as far as OLD. A rewritten, truncated or reordered history fails, and so does a file whose
hashes were recomputed after a change: the first difference is named (sequence, what, OLD's, NEW's).
Columns or directives a reader does not know are passed over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pledgebank.exports.exportfiles import ExportFile, Record, Shown, UnreadableExport
from pledgebank.exports.naming import major
from pledgebank.ledger.canonical import GENESIS_HASH, chain_hash, decode
from pledgebank.ledger.errors import LedgerError


class NotExtended(Exception):
    """NEW does not extend OLD; the message says where and why."""


@dataclass(slots=True)
class Chain:
    """What has been read of one export so far."""

    name: str
    first: int | None = None
    last: int | None = None
    head: bytes | None = None
    count: int = 0
    book: int | None = None


@dataclass(slots=True)
class Verdict:
    """The outcome: whether NEW extends OLD, what each covers, and how many of OLD's hashes were compared."""

    old: Chain
    new: Chain
    compared: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def extends(self) -> bool:
        """True when every check passed."""
        return not self.problems


def _postings(doc: dict[str, Any]) -> Shown:
    return tuple((account, amount, currency) for account, amount, currency in doc["postings"])


def _money(posting: tuple[str, int, str]) -> str:
    return f"{major(posting[1], posting[2])} {posting[2]}"


def _posting_difference(old: Shown, new: Shown) -> tuple[str, str, str] | None:
    """The first posting that differs: (what, old, new)."""
    if len(old) != len(new):
        return "number of postings", str(len(old)), str(len(new))
    for line, (before, after) in enumerate(zip(old, new, strict=True), start=1):
        if before[0] != after[0]:
            return f"account of posting {line}", before[0], after[0]
        if before[1:] != after[1:]:
            return f"amount of posting {line} ({before[0]})", _money(before), _money(after)
    return None


def difference(old: Record, new: Record) -> tuple[str, str, str] | None:
    """The first thing a reader sees differently in two records of one transaction: (what, old, new).

    Only what both files show is compared (an old CSV without descriptions has none to compare).
    """
    if old.date is not None and new.date is not None and old.date != new.date:
        return "date", old.date, new.date
    if old.description is not None and new.description is not None and old.description != new.description:
        return "description", f'"{old.description}"', f'"{new.description}"'
    found = _posting_difference(old.shown, new.shown)
    if found is None and old.funds is not None and new.funds is not None:
        for line, (before, after) in enumerate(zip(old.funds, new.funds, strict=True), start=1):
            if before != after:
                return f"fund of posting {line} ({old.shown[line - 1][0]})", before or "none", after or "none"
    return found


def _rehash(chain: Chain, record: Record, previous: bytes | None) -> None:
    """Check one record's sealed bytes against its sequence, its postings as shown, and its hash."""
    where = f"{chain.name} sequence {record.sequence}"
    try:
        doc = decode(record.canonical or b"")
    except LedgerError as error:
        raise NotExtended(f"{where}: the sealed bytes are damaged ({error})") from error
    if doc["seq"] != record.sequence:
        raise NotExtended(f"{where}: its sealed bytes are for sequence {doc['seq']}")
    if chain.book is not None and doc["book"] != chain.book:
        raise NotExtended(f"{where}: its sealed bytes belong to book {doc['book']}, not {chain.book}")
    if record.date is not None and record.date != doc["date"]:
        raise NotExtended(f"{where}: the date shown is {record.date} but the date sealed is {doc['date']}")
    if (found := _posting_difference(_postings(doc), record.shown)) is not None:
        what, sealed, shown = found
        raise NotExtended(
            f"{where}: the postings shown differ from the postings sealed: "
            f"the {what} is shown as {shown} but sealed as {sealed}"
        )
    if previous is None:
        raise NotExtended(f"{where}: the hash before it is not stated, so it cannot be re-hashed")
    if chain_hash(previous, record.canonical or b"") != record.hash:
        raise NotExtended(f"{where}: its hash does not match its content: history was rewritten or damaged")


def _step(chain: Chain, record: Record, *, whole: bool, rehash: bool, stated_previous: bytes | None) -> None:
    """Fold one record into its chain: order, then (when possible) its content and link."""
    if chain.last is not None and record.sequence <= chain.last:
        raise NotExtended(
            f"{chain.name}: sequence {record.sequence} comes after {chain.last}: the history is reordered"
        )
    if whole and chain.last is not None and record.sequence != chain.last + 1:
        raise NotExtended(
            f"{chain.name}: sequence {record.sequence} follows {chain.last}: "
            "the history is reordered or has a gap"
        )
    if rehash:
        if chain.last is None:
            previous = GENESIS_HASH if record.sequence == 1 else stated_previous
        else:
            previous = chain.head if record.sequence == chain.last + 1 else None
        if previous is not None or whole:
            _rehash(chain, record, previous)
    if chain.first is None:
        chain.first = record.sequence
    chain.last, chain.head = record.sequence, record.hash
    chain.count += 1


def _stated(export: ExportFile, key: str) -> Any:
    return (export.header or {}).get(key)


def _check_end(chain: Chain, export: ExportFile) -> None:
    if export.header is None:
        return  # a file that states no header (CSV) has no trailer either
    trailer = export.trailer
    if trailer is None:
        raise NotExtended(f"{chain.name} has no trailer: the file is cut short")
    told = (trailer.get("transactions"), trailer.get("last_sequence"), trailer.get("head_hash"))
    found = (chain.count, chain.last, chain.head.hex() if chain.head else None)
    if told != found:
        raise NotExtended(f"{chain.name}: its trailer does not match its transactions: the file is damaged")


def _hex(value: str | None) -> bytes | None:
    return bytes.fromhex(value) if value else None


def verify_extension(old: ExportFile, new: ExportFile) -> Verdict:
    """Check that NEW extends OLD; problems are listed in the verdict (none when it does)."""
    verdict = Verdict(Chain("OLD"), Chain("NEW"))
    try:
        _verify(old, new, verdict)
    except (NotExtended, UnreadableExport) as error:
        verdict.problems.append(str(error))
    return verdict


def _verify(old: ExportFile, new: ExportFile, verdict: Verdict) -> None:
    if not new.carries_bytes:
        raise NotExtended(
            f"NEW is a {new.format.upper()} export, which holds hashes but not sealed bytes: "
            "export NEW as jsonl"
        )
    if not _stated(new, "complete"):
        raise NotExtended("NEW is not a whole chain (it was filtered by fund or has gaps)")
    old_chain, new_chain = verdict.old, verdict.new
    new_chain.book = (_stated(new, "book") or {}).get("id")
    old_chain.book = (_stated(old, "book") or {}).get("id", new_chain.book)
    if old_chain.book != new_chain.book:
        raise NotExtended(f"OLD is an export of book {old_chain.book}, NEW of book {new_chain.book}")
    old_whole = bool(_stated(old, "complete"))
    old_records = old.records()
    pending = next(old_records, None)
    new_previous = _hex(_stated(new, "previous_hash"))
    for record in new.records():
        _step(new_chain, record, whole=True, rehash=True, stated_previous=new_previous)
        while pending is not None and pending.sequence <= record.sequence:
            _step(
                old_chain,
                pending,
                whole=old_whole,
                rehash=old.carries_bytes,
                stated_previous=_hex(_stated(old, "previous_hash")),
            )
            assert new_chain.first is not None  # set by the record stepped above
            if pending.sequence == new_chain.first - 1 and pending.hash != new_previous:
                raise NotExtended(
                    f"NEW does not follow OLD's sequence {pending.sequence}: history was rewritten"
                )
            if pending.sequence >= new_chain.first:
                if pending.sequence == record.sequence and (found := difference(pending, record)):
                    what, before, after = found
                    raise NotExtended(
                        f"NEW differs from OLD at sequence {record.sequence}: "
                        f"the {what} is {before} in OLD, {after} in NEW"
                    )
                if pending.hash != (record.hash if pending.sequence == record.sequence else None):
                    raise NotExtended(
                        f"NEW differs from OLD at sequence {pending.sequence}: history was rewritten"
                    )
                verdict.compared += 1
            pending = next(old_records, None)
    _check_end(new_chain, new)
    if pending is not None:
        raise NotExtended(
            f"NEW ends at sequence {new_chain.last} but OLD goes on to {pending.sequence}: NEW is truncated"
        )
    _check_end(old_chain, old)
    if old_chain.last is None:
        raise NotExtended("OLD holds no transactions: there is nothing to extend")
    if new_chain.first is None or old_chain.last < new_chain.first - 1:
        raise NotExtended(
            f"NEW starts after OLD ends (sequence {old_chain.last}): the history between is missing"
        )
