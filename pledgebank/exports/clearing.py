"""What the books say moved through Stripe clearing: each transaction's movement, split by fund.

The ledger side of the Stripe reconciliation is every transaction that moved a book's Stripe clearing
account (the book-level one, holding what was posted before money was attributed to funds, or a fund's
share of it), keyed by the Stripe ids in its source (balance transaction first, then refund, payout or
charge).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.ledger import chart

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
        .where(is_clearing(), t.effective_date >= since)
        .order_by(Book.slug, t.sequence, p.line)
    )
    found: dict[tuple[str, int], Movement] = {}
    for slug, sequence, day, kind, source, code, amount, currency in rows:
        earlier = found.get((slug, sequence))
        total = amount + (earlier.clearing if earlier else 0)
        funds = _add_share(earlier.funds if earlier else (), chart.fund_of(code), amount)
        key = _stripe_key(json.loads(source))
        found[(slug, sequence)] = Movement(slug, sequence, day, kind, key, total, currency, funds)
    return list(found.values())
