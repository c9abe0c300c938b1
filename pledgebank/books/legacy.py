"""Attributing to funds what a book posted before money was attributed to funds (migration 0010).

Until then bank, cash, Stripe clearing, receivables and the liabilities were posted to the book-level
accounts, so a grant awarded or cash held then, and paid or banked after, met an empty fund share. This
reads the book's history, attributes every book-level leg to a fund (see ledger/legacy.py) and posts one
entry moving each book-level balance into the funds' shares. History is never rewritten; a second run
posts nothing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, ChainHead, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import Posted, post
from pledgebank.errors import DomainError
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.ledger import chart, legacy
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.kinds import LEGACY_ATTRIBUTED
from pledgebank.ledger.money import Money
from pledgebank.levies.models import Levy
from pledgebank.neighbourhoods.models import Fund
from pledgebank.pledges.models import Pledge


class AttributionIncomplete(DomainError):
    """The move would leave money on a book-level account: a fault in the attribution, never posted."""

    status = 500
    code = "attribution_incomplete"


@dataclass(frozen=True, slots=True)
class Attributed:
    """One transaction with book-level legs: its sequence, how its fund was found, and its shares."""

    sequence: int
    how: str
    shares: dict[legacy.Share, int]


@dataclass(slots=True)
class LegacyPlan:
    """What attributing a book's legacy balances would move, and the transactions it read to get there."""

    book: str
    currency: str
    through: int
    moves: dict[legacy.Share, int] = field(default_factory=dict)
    transactions: list[Attributed] = field(default_factory=list)

    @property
    def defaulted(self) -> list[int]:
        """The sequences that named no fund, attributed to the general fund by default."""
        return [t.sequence for t in self.transactions if t.how == legacy.BY_DEFAULT]

    def counts(self) -> Counter[str]:
        """How many transactions were attributed each way (legs, source, shares, general)."""
        return Counter(t.how for t in self.transactions)

    def entry(self, on: date, actor_id: int | None = None) -> JournalEntry | None:
        """The entry moving the balances, or None when the book-level accounts hold nothing."""
        moves = {share: Money(amount, self.currency) for share, amount in self.moves.items() if amount}
        if not moves:
            return None
        return legacy.legacy_attributed(
            moves=moves, through=self.through, defaulted=len(self.defaulted), on=on, actor_id=actor_id
        )


def _named_funds(session: Session, book: Book) -> dict[str, dict[str, str]]:
    """Per source name (pledge, levy, grant_application): the fund slug of each of the book's rows."""
    place = Fund.neighbourhood_id == book.neighbourhood_id
    pledges = select(Pledge.id, Fund.slug).join(Fund, Fund.id == Pledge.fund_id).where(place)
    levies = select(Levy.id, Fund.slug).join(Fund, Fund.id == Levy.fund_id).where(place)
    grants = (
        select(GrantApplication.id, Fund.slug)
        .join(GrantRound, GrantRound.id == GrantApplication.round_id)
        .join(Fund, Fund.id == GrantRound.fund_id)
        .where(place)
    )
    return {
        name: {str(row_id): slug for row_id, slug in session.execute(query)}
        for name, query in (("pledge", pledges), ("levy", levies), ("grant_application", grants))
    }


def _named(source: dict[str, str], named: dict[str, dict[str, str]]) -> str | None:
    for name, rows in named.items():
        if source.get(name) in rows:
            return rows[source[name]]
    return None


def plan_attribution(session: Session, book: Book, *, upto: int | None = None) -> LegacyPlan:
    """Read the book's history (through sequence `upto`, else all) and attribute every book-level leg."""
    through = upto
    if through is None:
        # A book with no transaction yet has no chain head: there is nothing to read.
        through = session.scalar(select(ChainHead.sequence).where(ChainHead.book_id == book.id)) or 0
    plan = LegacyPlan(book.slug, book.currency, through)
    general = session.scalar(
        select(Fund.slug).where(Fund.neighbourhood_id == book.neighbourhood_id, Fund.is_general)
    )
    assert general is not None  # every neighbourhood is made with its general fund
    named = _named_funds(session, book)
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(t.sequence, cast(t.source, Text), a.code, p.amount)
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .where(t.book_id == book.id, p.book_id == book.id, t.sequence <= through)
        .order_by(t.sequence, p.line)
        .execution_options(yield_per=2000)
    )
    held: dict[legacy.Share, int] = defaultdict(int)
    moves: dict[legacy.Share, int] = defaultdict(int)

    def read(sequence: int, source: str, legs: list[tuple[str, int]]) -> None:
        if any(code in chart.FUND_HELD for code, _ in legs):
            found = legacy.attribute(
                legs, named=_named(json.loads(source or "{}"), named), held=held, general=general
            )
            plan.transactions.append(Attributed(sequence, found.how, found.shares))
            for share, amount in found.shares.items():
                held[share] += amount
                moves[share] += amount
        for code, amount in legs:
            place, fund = chart.place_of(code), chart.fund_of(code)
            if place not in (None, code) and fund is not None:
                held[(place, fund)] += amount

    current: int | None = None
    source = ""
    legs: list[tuple[str, int]] = []
    for sequence, row_source, code, amount in rows:
        if sequence != current:
            if current is not None and legs:
                read(current, source, legs)
            current, source, legs = sequence, row_source, []
        legs.append((code, int(amount)))
    if current is not None and legs:
        read(current, source, legs)
    plan.moves = {share: amount for share, amount in sorted(moves.items()) if amount}
    return plan


def attributed_shares(session: Session, book: Book, *, upto: int) -> dict[int, dict[legacy.Share, int]]:
    """Per sequence through `upto`, the fund shares of that transaction's book-level legs (as the move
    attributes them, whether or not it has been posted yet); transactions with no such legs are absent."""
    return {t.sequence: t.shares for t in plan_attribution(session, book, upto=upto).transactions}


def moved_before(session: Session, book_id: int) -> int | None:
    """The sequence of the book's latest move of legacy balances into fund shares, or None if never moved:
    whatever was posted to the book-level accounts before it sits in the funds' shares."""
    return session.scalar(
        select(func.max(LedgerTransaction.sequence)).where(
            LedgerTransaction.book_id == book_id, LedgerTransaction.kind == LEGACY_ATTRIBUTED
        )
    )


def attribute_legacy(
    session: Session, *, book: Book, today: date, now: datetime, actor_id: int | None = None
) -> tuple[LegacyPlan, Posted | None]:
    """Post the move of the book's legacy balances into fund shares; None when there is nothing to move.

    Holds the book's chain head while it reads, so nothing is posted between the reading and the move, and
    two runs at once post once. Raises InsufficientFunds when a fund's bank or cash share would go below
    zero (the fund spent more than it had: a transfer from another fund is the committee's decision first).
    """
    session.execute(select(ChainHead.sequence).where(ChainHead.book_id == book.id).with_for_update())
    plan = plan_attribution(session, book)
    entry = plan.entry(today, actor_id)
    if entry is None:
        return plan, None
    posted = post(session, book=book, entry=entry, now=now)
    left = session.scalars(
        select(LedgerAccount.code).where(
            LedgerAccount.book_id == book.id,
            LedgerAccount.code.in_(chart.FUND_HELD),
            LedgerAccount.balance != 0,
        )
    ).all()
    if left:  # the caller's unit of work rolls the move back
        message = f"{book.slug}: {', '.join(left)} would still hold money; nothing was moved."
        raise AttributionIncomplete(message)
    return plan, posted
