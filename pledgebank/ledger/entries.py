"""Balanced double-entry journal entries; positive amounts are debits, negative amounts credits."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from pledgebank.ledger.errors import InvalidEntry, UnbalancedEntry
from pledgebank.ledger.money import Money

MAX_MEMO_LENGTH = 200

Source = tuple[tuple[str, str], ...]


def make_source(mapping: Mapping[str, str | int]) -> Source:
    """Turn a mapping of reference ids into the sorted tuple of string pairs an entry stores.

    Raises InvalidEntry for an empty or non-string name, or a value that is neither str nor int.
    """
    pairs = []
    for name, value in mapping.items():
        if not isinstance(name, str) or not name:
            raise InvalidEntry(f"source name must be a non-empty string: {name!r}")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidEntry(f"source value for {name!r} must be a str or int")
        pairs.append((name, str(value)))
    return tuple(sorted(pairs))


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of a journal entry: a signed amount against an account code."""

    account: str
    amount: Money

    def __post_init__(self) -> None:
        if not isinstance(self.account, str) or not self.account:
            raise InvalidEntry("posting account must be a non-empty string")
        if not isinstance(self.amount, Money):
            raise InvalidEntry("posting amount must be Money")
        if self.amount.is_zero():
            raise InvalidEntry(f"zero posting to {self.account}")

    @property
    def is_debit(self) -> bool:
        """Return True for a debit (positive amount)."""
        return self.amount.is_positive()


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A validated, balanced set of postings with the metadata that is sealed into the chain.

    Invariants, checked on construction (InvalidEntry unless noted): a non-empty kind and
    idempotency key; a plain date (not a datetime); at least two non-zero postings; each account
    uses a single currency within the entry; the postings sum to zero in every currency separately
    (UnbalancedEntry); a memo of at most 200 characters; `source` sorted with unique names; an int
    or None actor; a reverses_key that is None or a non-empty key other than the entry's own.
    """

    kind: str
    effective_date: datetime.date
    postings: tuple[Posting, ...]
    memo: str
    idempotency_key: str
    source: Source = ()
    actor_id: int | None = None
    reverses_key: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not self.kind:
            raise InvalidEntry("entry kind must be a non-empty string")
        if not isinstance(self.idempotency_key, str) or not self.idempotency_key:
            raise InvalidEntry("idempotency key must be a non-empty string")
        if isinstance(self.effective_date, datetime.datetime) or not isinstance(
            self.effective_date, datetime.date
        ):
            raise InvalidEntry("effective date must be a datetime.date")
        if not isinstance(self.memo, str) or len(self.memo) > MAX_MEMO_LENGTH:
            raise InvalidEntry(f"memo must be a string of at most {MAX_MEMO_LENGTH} characters")
        if self.actor_id is not None and type(self.actor_id) is not int:
            raise InvalidEntry("actor id must be an int or None")
        if self.reverses_key is not None and (
            not isinstance(self.reverses_key, str)
            or not self.reverses_key
            or self.reverses_key == self.idempotency_key
        ):
            raise InvalidEntry("reverses key must be a non-empty key of another entry")
        object.__setattr__(self, "source", self._checked_source(self.source))
        object.__setattr__(self, "postings", tuple(self.postings))
        self._check_postings()

    @staticmethod
    def _checked_source(source: object) -> Source:
        if isinstance(source, Mapping):
            return make_source(source)
        if not isinstance(source, tuple | list):
            raise InvalidEntry("source must be a mapping or a tuple of (name, value) pairs")
        pairs: list[tuple[str, str]] = []
        for item in source:
            if not isinstance(item, tuple | list) or len(item) != 2:
                raise InvalidEntry("source must be a mapping or a tuple of (name, value) pairs")
            name, value = item
            if not isinstance(name, str) or not name or not isinstance(value, str):
                raise InvalidEntry("source pairs must be (non-empty str, str)")
            pairs.append((name, value))
        names = [name for name, _ in pairs]
        if len(set(names)) != len(names):
            raise InvalidEntry("source names must be unique")
        return tuple(sorted(pairs))

    def _check_postings(self) -> None:
        if len(self.postings) < 2:
            raise InvalidEntry("an entry needs at least two postings")
        account_currency: dict[str, str] = {}
        totals: dict[str, int] = {}
        for posting in self.postings:
            if not isinstance(posting, Posting):
                raise InvalidEntry("postings must be Posting instances")
            currency = posting.amount.currency
            if account_currency.setdefault(posting.account, currency) != currency:
                raise InvalidEntry(f"account {posting.account} is used with two currencies")
            totals[currency] = totals.get(currency, 0) + posting.amount.amount
        unbalanced = {currency: total for currency, total in totals.items() if total}
        if unbalanced:
            raise UnbalancedEntry(f"postings do not sum to zero: {unbalanced}")

    @classmethod
    def build(
        cls,
        *,
        kind: str,
        effective_date: datetime.date,
        postings: tuple[Posting, ...] | list[Posting],
        memo: str,
        idempotency_key: str,
        source: Mapping[str, str | int] | None = None,
        actor_id: int | None = None,
        reverses_key: str | None = None,
    ) -> JournalEntry:
        """Build an entry taking `source` as a mapping of reference ids (ints become strings)."""
        return cls(
            kind=kind,
            effective_date=effective_date,
            postings=tuple(postings),
            memo=memo,
            idempotency_key=idempotency_key,
            source=make_source(source or {}),
            actor_id=actor_id,
            reverses_key=reverses_key,
        )

    def source_dict(self) -> dict[str, str]:
        """Return the source references as a dict."""
        return dict(self.source)

    def currencies(self) -> tuple[str, ...]:
        """Return the currencies used by the postings, sorted."""
        return tuple(sorted({p.amount.currency for p in self.postings}))

    def accounts(self) -> tuple[str, ...]:
        """Return the distinct account codes in posting order."""
        return tuple(dict.fromkeys(p.account for p in self.postings))

    def total_debits(self) -> dict[str, Money]:
        """Return the sum of debit postings per currency (equal to the credits, by balance)."""
        totals = {currency: Money.zero(currency) for currency in self.currencies()}
        for posting in self.postings:
            if posting.is_debit:
                totals[posting.amount.currency] += posting.amount
        return totals

    def amount_for(self, account: str) -> Money | None:
        """Return the net signed amount posted to `account`, or None if the entry does not touch it."""
        total: Money | None = None
        for posting in self.postings:
            if posting.account == account:
                total = posting.amount if total is None else total + posting.amount
        return total
