"""Streaming verification of a book's stored hash chain, postings and maintained balances."""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pledgebank.ledger.canonical import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_document,
    chain_hash,
    decode,
    encode,
    encode_fields,
)
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import LedgerError
from pledgebank.ledger.monthly import Key, MonthlyTotals, Totals, first_wrong_month

Row = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class StoredTransaction:
    """One sealed entry as read back from storage, with its posting rows as (account, amount, currency)."""

    sequence: int
    prev_hash: bytes
    hash: bytes
    canonical: bytes
    effective_date: datetime.date
    kind: str
    memo: str
    source: dict[str, str]
    actor_id: int | None
    idempotency_key: str
    reverses_key: str | None
    postings: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One verification failure; `sequence` is None when it cannot be tied to a single record."""

    sequence: int | None
    message: str
    check: str = ""


class Verdict:
    """What a verification with `problems` (ordered by sequence, unattributed last) says about its book."""

    __slots__ = ()
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """Return True when no problem was found."""
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        """Return the problem with the lowest sequence number (unattributed ones last), if any."""
        return self.problems[0] if self.problems else None


@dataclass(frozen=True, slots=True)
class VerifyReport(Verdict):
    """The outcome of verifying one book; problems are ordered by sequence, unattributed last."""

    transactions: int
    postings: int
    head_sequence: int
    head_hash: bytes
    problems: list[Problem]


def seal(*, book_id: int, sequence: int, prev_hash: bytes, entry: JournalEntry) -> StoredTransaction:
    """Return the record that storing `entry` at `sequence` after `prev_hash` must produce."""
    canonical = canonical_bytes(book_id=book_id, sequence=sequence, entry=entry)
    return StoredTransaction(
        sequence=sequence,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, canonical),
        canonical=canonical,
        effective_date=entry.effective_date,
        kind=entry.kind,
        memo=entry.memo,
        source=entry.source_dict(),
        actor_id=entry.actor_id,
        idempotency_key=entry.idempotency_key,
        reverses_key=entry.reverses_key,
        postings=tuple((p.account, p.amount.amount, p.amount.currency) for p in entry.postings),
    )


def _problem_order(problem: Problem) -> tuple[bool, int]:
    return (problem.sequence is None, problem.sequence or 0)


def _valid_rows(postings: object) -> bool:
    if not isinstance(postings, tuple):
        return False
    for row in postings:
        if not (
            isinstance(row, tuple)
            and len(row) == 3
            and type(row[1]) is int
            and isinstance(row[0], str)
            and isinstance(row[2], str)
        ):
            return False
    return True


class _Verifier:
    """Per-book verification state; memory is O(accounts) plus the set of seen keys."""

    def __init__(self, book_id: int, account_currencies: Mapping[str, str]) -> None:
        self.book_id = book_id
        self.account_currencies = account_currencies
        self.problems: list[Problem] = []
        self.reported: set[str] = set()
        self.expected_sequence = 1
        self.prev_hash = GENESIS_HASH
        self.head_sequence = 0
        self.transactions = 0
        self.postings = 0
        self.balances: dict[str, int] = {}
        self.last_touched: dict[str, int] = {}
        self.keys: dict[str, bool] = {}
        self.monthly = MonthlyTotals()

    def report(self, check: str, sequence: int | None, message: str, *, every: bool = False) -> None:
        """Record a problem; only the first one of each stream check is kept."""
        if every or check not in self.reported:
            self.reported.add(check)
            self.problems.append(Problem(sequence, message, check))

    def feed(self, rec: StoredTransaction) -> None:
        """Check one record in stream order and fold its postings into the running balances."""
        seq = rec.sequence
        if type(seq) is not int:
            self.report("sequence", None, f"record {self.transactions + 1} has no integer sequence")
            seq = self.expected_sequence
        elif seq != self.expected_sequence:
            found = "out of order" if seq < self.expected_sequence else "missing"
            self.report(
                "sequence",
                min(seq, self.expected_sequence),
                f"expected sequence {self.expected_sequence}, found {seq} ({found})",
            )
        self.expected_sequence = max(self.expected_sequence, seq + 1)
        self.transactions += 1
        self.check_chain(seq, rec)
        self.check_canonical(seq, rec)
        if _valid_rows(rec.postings):
            self.check_postings(seq, rec.postings)
            if isinstance(rec.effective_date, datetime.date):
                self.monthly.add(rec.effective_date, rec.kind, rec.postings)
        else:
            self.report("postings", seq, "posting rows are malformed")
        self.check_keys(seq, rec)
        self.head_sequence = seq

    def check_chain(self, seq: int, rec: StoredTransaction) -> None:
        """Check the link to the previous record and the record's own hash."""
        if rec.prev_hash != self.prev_hash:
            self.report("link", seq, f"sequence {seq}: previous hash does not match the record before it")
        try:
            computed = chain_hash(rec.prev_hash, rec.canonical)
        except LedgerError:
            computed = b""
        if not isinstance(rec.hash, bytes) or not hmac.compare_digest(computed, rec.hash):
            self.report("hash", seq, f"sequence {seq}: hash does not match its previous hash and bytes")
        self.prev_hash = rec.hash

    def check_canonical(self, seq: int, rec: StoredTransaction) -> None:
        """Check that the sealed bytes are canonical and agree with every stored column."""
        direct = encode_fields(
            book_id=self.book_id,
            sequence=seq,
            effective_date=rec.effective_date,
            kind=rec.kind,
            memo=rec.memo,
            source=rec.source,
            actor_id=rec.actor_id,
            idempotency_key=rec.idempotency_key,
            reverses_key=rec.reverses_key,
            postings=rec.postings,
        )
        if direct is not None and direct == rec.canonical:
            return
        # The documented way, which also says what differs.
        try:
            expected_doc = canonical_document(
                book_id=self.book_id,
                sequence=seq,
                effective_date=rec.effective_date,
                kind=rec.kind,
                memo=rec.memo,
                source=rec.source,
                actor_id=rec.actor_id,
                idempotency_key=rec.idempotency_key,
                reverses_key=rec.reverses_key,
                postings=rec.postings,
            )
            expected = encode(expected_doc)
        except (LedgerError, TypeError, ValueError, AttributeError) as exc:
            self.report("canonical", seq, f"sequence {seq}: stored fields cannot be encoded ({exc})")
            return
        if expected == rec.canonical:
            return
        try:
            sealed: dict[str, Any] = decode(rec.canonical)
        except LedgerError as exc:
            self.report("canonical", seq, f"sequence {seq}: {exc}")
            return
        differing = sorted(name for name in expected_doc if sealed[name] != expected_doc[name])
        if differing:
            detail = f"stored row differs from sealed bytes in {', '.join(differing)}"
        else:
            detail = "sealed bytes are not in canonical form"
        self.report("canonical", seq, f"sequence {seq}: {detail}")

    def check_postings(self, seq: int, rows: tuple[Row, ...]) -> None:
        """Check balance per currency and account currencies, then apply the rows to the balances."""
        self.postings += len(rows)
        totals: dict[str, int] = {}
        currencies, balances, touched = self.account_currencies, self.balances, self.last_touched
        zero = False
        for account, amount, currency in rows:
            totals[currency] = totals.get(currency, 0) + amount
            zero = zero or amount == 0
            expected_currency = currencies.get(account)
            if expected_currency != currency:
                self.wrong_currency(seq, account, expected_currency, currency)
            balances[account] = balances.get(account, 0) + amount
            touched[account] = seq
        unbalanced = {currency: total for currency, total in totals.items() if total}
        if unbalanced:
            self.report("entry", seq, f"sequence {seq}: postings do not sum to zero: {unbalanced}")
        elif len(rows) < 2 or zero:
            self.report("entry", seq, f"sequence {seq}: needs at least two non-zero postings")

    def wrong_currency(self, seq: int, account: str, expected: str | None, currency: str) -> None:
        """Report a posting to an unknown account, or in another currency than its account's."""
        if expected is None:
            self.report("currency", seq, f"sequence {seq}: unknown account {account}")
        else:
            self.report(
                "currency", seq, f"sequence {seq}: {account} is kept in {expected}, posting is in {currency}"
            )

    def check_keys(self, seq: int, rec: StoredTransaction) -> None:
        """Check idempotency-key uniqueness and that reversals target an earlier, unreversed key."""
        key = rec.idempotency_key
        if key in self.keys:
            self.report("key", seq, f"sequence {seq}: idempotency key is used twice")
        target = rec.reverses_key
        if target is not None:
            if target not in self.keys:
                self.report(
                    "reversal", seq, f"sequence {seq}: reverses a key that is not earlier in the book"
                )
            elif self.keys[target]:
                self.report("reversal", seq, f"sequence {seq}: reverses an entry that is already reversed")
            else:
                self.keys[target] = True
        self.keys.setdefault(key, False)

    def finish(
        self,
        maintained_balances: Mapping[str, int],
        chain_head: tuple[int, bytes] | None,
        monthly_totals: Mapping[Key, Totals] | None = None,
    ) -> VerifyReport:
        """Compare balances, monthly totals and the chain head with what the stream produced; the report."""
        for account in sorted(set(self.balances) | set(maintained_balances)):
            recomputed = self.balances.get(account, 0)
            maintained = maintained_balances.get(account, 0)
            if recomputed != maintained:
                last = self.last_touched.get(account)
                where = f"; last posted at sequence {last}" if last else ""
                self.report(
                    "balance",
                    None,
                    f"{account}: maintained balance {maintained} but postings sum to {recomputed}{where}",
                    every=True,
                )
        if monthly_totals is not None:
            wrong = first_wrong_month(monthly_totals, self.monthly.result())
            if wrong is not None:
                self.report("monthly", None, wrong.message)
        head_hash = self.prev_hash if self.transactions else GENESIS_HASH
        if chain_head is None:
            if self.transactions:
                self.report("head", None, "book has transactions but no chain head")
        else:
            head_sequence, recorded_hash = chain_head
            if head_sequence > self.head_sequence:
                self.report(
                    "head",
                    self.head_sequence + 1,
                    f"chain head is at {head_sequence} but history ends at {self.head_sequence}: truncated",
                )
            elif head_sequence < self.head_sequence:
                self.report("head", head_sequence + 1, f"records exist after the chain head {head_sequence}")
            elif recorded_hash != head_hash:
                self.report("head", head_sequence or None, "chain head hash differs from the last record")
        return VerifyReport(
            transactions=self.transactions,
            postings=self.postings,
            head_sequence=self.head_sequence,
            head_hash=head_hash,
            problems=sorted(self.problems, key=_problem_order),
        )


def verify_book(
    *,
    book_id: int,
    transactions: Iterable[StoredTransaction],
    account_currencies: Mapping[str, str],
    maintained_balances: Mapping[str, int],
    chain_head: tuple[int, bytes] | None,
    monthly_totals: Mapping[Key, Totals] | None = None,
) -> VerifyReport:
    """Verify a book's records, given in ascending sequence order, in one streaming pass.

    Reports the first failure of each check (sequence, link, hash, canonical, postings, entry,
    currency, key, reversal) so the earliest bad sequence is named, then every account whose
    maintained balance differs from its postings, then the first month whose stored totals (when given,
    keyed by account code and month) differ from the postings, then any disagreement with the chain head.
    """
    verifier = _Verifier(book_id, account_currencies)
    for record in transactions:
        verifier.feed(record)
    return verifier.finish(maintained_balances, chain_head, monthly_totals)
