"""Money moving between the places a fund's money sits (Stripe clearing, bank, cash), within each fund."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from pledgebank.ledger.chart import BANK, CASH, STRIPE_CLEARING, held_in
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.kinds import CASH_BANKED, PAYOUT
from pledgebank.ledger.legs import SourceRefs, build_entry, positive
from pledgebank.ledger.money import Money


def payout(
    *,
    shares: Mapping[str | None, Money],
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a processor payout to the bank: Dr bank, Cr clearing, for each fund whose money it carries.

    `shares` maps fund slugs to their part of the payout (None for Stripe clearing posted before money was
    attributed to funds). A fund whose refunds in the payout outweighed its receipts has a negative share: the
    payout took that from its bank share. Raises InvalidAmount unless the shares are non-zero Money with a
    positive total, InvalidEntry when there are none.
    """
    if not shares:
        raise InvalidEntry("a payout carries some fund's money")
    legs: list[tuple[str, Money]] = []
    for fund in sorted(shares, key=lambda slug: slug or ""):
        amount = shares[fund]
        if not isinstance(amount, Money) or amount.is_zero():
            raise InvalidAmount(f"the share of {fund or 'the book'} must be non-zero Money")
        legs += [(held_in(BANK, fund), amount), (held_in(STRIPE_CLEARING, fund), -amount)]
    positive(sum((amount for _code, amount in legs[::2]), Money.zero(legs[0][1].currency)), "payout")
    return build_entry(PAYOUT, legs, key=key, on=on, source=source, actor_id=actor_id, memo=PAYOUT)


def cash_banked(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record the treasurer paying a fund's held cash into the bank: Dr bank, Cr cash."""
    amount = positive(amount)
    legs = [(held_in(BANK, fund), amount), (held_in(CASH, fund), -amount)]
    return build_entry(CASH_BANKED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=CASH_BANKED)
