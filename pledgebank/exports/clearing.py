"""What the books say moved through Stripe clearing: each transaction's movement, split by fund.

The ledger side of the Stripe reconciliation is every transaction that moved a book's Stripe clearing
account (the book-level one, holding what was posted before money was attributed to funds, or a fund's
share of it), keyed by the Stripe ids in its source (balance transaction first, then refund, payout or
charge).

Once `ledger attribute-legacy` has moved a book's legacy balances into the funds' shares, a movement posted
before the move on the book-level account is split between the funds the move attributed it to, so a payout
carrying it posts to those funds' shares. Before the move it stays the book's (fund None): the funds' bank
shares hold none of that money yet, and the move attributes such a payout with the rest. The move itself
only moves money between shares of the clearing account, which Stripe never sees, so it is left out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from pledgebank.books.legacy import attributed_shares, moved_before
from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.ledger import chart
from pledgebank.ledger.kinds import LEGACY_ATTRIBUTED

SOURCE_KEYS = ("balance_transaction", "refund", "payout", "charge")
Shares = tuple[tuple[str | None, int], ...]


@dataclass(frozen=True, slots=True)
class Movement:
    """A ledger transaction's effect on a book's Stripe clearing, in total and per fund (None: book-level)."""

    book: str
    sequence: int
    effective_date: date
    kind: str
    key: str | None
    clearing: int
    currency: str
    funds: Shares = ()


def _stripe_key(source: dict[str, str]) -> str | None:
    return next((source[name] for name in SOURCE_KEYS if source.get(name)), None)


def is_clearing():
    """The condition picking out Stripe clearing accounts: the book-level one and every fund's share."""
    code = LedgerAccount.code
    return or_(code == chart.STRIPE_CLEARING, code.startswith(chart.STRIPE_CLEARING + ":"))


def _add_share(funds: Shares, fund: str | None, amount: int) -> Shares:
    shares = dict(funds)
    shares[fund] = shares.get(fund, 0) + amount
    return tuple(shares.items())


def ledger_movements(session: Session, *, since: date) -> list[Movement]:
    """Every transaction on or after a date that moved a Stripe clearing account, in every book."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(
            Book.id,
            Book.slug,
            t.sequence,
            t.effective_date,
            t.kind,
            cast(t.source, Text),
            a.code,
            p.amount,
            p.currency,
        )
        .join(t, t.book_id == Book.id)
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .where(is_clearing(), t.effective_date >= since, t.kind != LEGACY_ATTRIBUTED)
        .order_by(Book.slug, t.sequence, p.line)
    )
    found: dict[tuple[str, int], Movement] = {}
    ids: dict[str, int] = {}
    for book_id, slug, sequence, day, kind, source, code, amount, currency in rows:
        ids[slug] = book_id
        earlier = found.get((slug, sequence))
        total = amount + (earlier.clearing if earlier else 0)
        funds = _add_share(earlier.funds if earlier else (), chart.fund_of(code), amount)
        key = _stripe_key(json.loads(source))
        found[(slug, sequence)] = Movement(slug, sequence, day, kind, key, total, currency, funds)
    _attribute_moved(session, found, ids)
    return list(found.values())


def _attribute_moved(session: Session, found: dict[tuple[str, int], Movement], ids: dict[str, int]) -> None:
    """Split the book-level share of each movement made before its book's legacy move between the funds
    the move attributed it to."""
    legacy: dict[str, list[int]] = defaultdict(list)
    for (slug, sequence), movement in found.items():
        if any(fund is None for fund, _amount in movement.funds):
            legacy[slug].append(sequence)
    for slug, sequences in legacy.items():
        moved = moved_before(session, ids[slug])
        before = [sequence for sequence in sequences if moved is not None and sequence < moved]
        if not before:
            continue
        shares = attributed_shares(session, session.get_one(Book, ids[slug]), upto=max(before))
        for sequence in before:
            movement = found[(slug, sequence)]
            book_level = dict(movement.funds)[None]
            parts = {
                fund: amount
                for (place, fund), amount in shares.get(sequence, {}).items()
                if place == chart.STRIPE_CLEARING
            }
            if sum(parts.values()) != book_level:
                continue  # the move attributes every book-level leg in full; else the book keeps it
            funds: Shares = tuple((fund, amount) for fund, amount in movement.funds if fund is not None)
            for fund, amount in sorted(parts.items()):
                funds = _add_share(funds, fund, amount)
            found[(slug, sequence)] = replace(movement, funds=funds)
