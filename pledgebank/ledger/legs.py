"""Building blocks shared by the posting rules: amount checks, legs, memos and entry assembly."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from pledgebank.ledger.chart import (
    DEFERRED_INCOME,
    RECEIVABLES,
    STRIPE_CLEARING,
    fees_expense,
    held_in,
    income_account,
)
from pledgebank.ledger.entries import JournalEntry, Posting
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.money import Money

SourceRefs = Mapping[str, str | int]
Leg = tuple[str, Money]


def positive(amount: object, what: str = "amount") -> Money:
    """Return `amount` if it is strictly positive Money; raises InvalidAmount otherwise."""
    if not isinstance(amount, Money):
        raise InvalidAmount(f"{what} must be Money")
    if not amount.is_positive():
        raise InvalidAmount(f"{what} must be positive, got {amount}")
    return amount


def fee_or_zero(fee: Money | None, gross: Money) -> Money:
    """Return the fee (zero when None) after checking 0 <= fee <= gross.

    Raises InvalidAmount for a negative fee or one above gross, CurrencyMismatch across currencies.
    """
    if fee is None:
        return Money.zero(gross.currency)
    if not isinstance(fee, Money):
        raise InvalidAmount("fee must be Money")
    if fee.is_negative():
        raise InvalidAmount(f"fee must not be negative, got {fee}")
    if fee > gross:
        raise InvalidAmount(f"fee {fee} exceeds gross {gross}")
    return fee


def one_of(account: str, allowed: tuple[str, ...], what: str) -> str:
    """Return `account` if it is one of `allowed`; raises InvalidEntry otherwise."""
    if account not in allowed:
        raise InvalidEntry(f"{what} must be one of {', '.join(allowed)}, got {account!r}")
    return account


def make_memo(kind: str, **details: str) -> str:
    """Return a memo such as "refund fund=roof income=pledges" built only from codes."""
    return " ".join([kind, *(f"{name}={value}" for name, value in details.items())])


def settlement_legs(amount: Money, fee: Money | None, fund: str, income_source: str, into: str) -> list[Leg]:
    """Return the legs recognising a fund's income on receipt of money that was owed to it.

    Raises InvalidEntry for a non-zero fee unless `into` is Stripe clearing.
    """
    fee = fee_or_zero(fee, amount)
    if not fee.is_zero() and into != STRIPE_CLEARING:
        raise InvalidEntry("a fee is only allowed for a card settlement into Stripe clearing")
    return [
        (held_in(into, fund), amount - fee),
        (fees_expense(fund), fee),
        (held_in(RECEIVABLES, fund), -amount),
        (held_in(DEFERRED_INCOME, fund), amount),
        (income_account(fund, income_source), -amount),
    ]


def build_entry(
    kind: str,
    legs: list[Leg],
    *,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None,
    memo: str,
    reverses_key: str | None = None,
) -> JournalEntry:
    """Assemble and validate an entry, dropping zero legs (such as a zero fee)."""
    return JournalEntry.build(
        kind=kind,
        effective_date=on,
        postings=[Posting(account, amount) for account, amount in legs if not amount.is_zero()],
        memo=memo,
        idempotency_key=key,
        source=source,
        actor_id=actor_id,
        reverses_key=reverses_key,
    )
