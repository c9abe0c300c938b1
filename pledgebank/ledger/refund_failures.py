"""A card refund that failed after it was made (the card was closed, say): Stripe puts the money back in the
balance, so the books put it back where the refund took it from.

The refund's own entry stands (it happened, and Stripe's balance shows it); this entry is the money coming
back, dated when Stripe returned it, so the income shows what the fund keeps and the payment can be refunded
again.
"""

from __future__ import annotations

import datetime

from pledgebank.ledger.chart import STRIPE_CLEARING, held_in, income_account
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.kinds import REFUND_FAILED
from pledgebank.ledger.legs import SourceRefs, build_entry, make_memo, positive
from pledgebank.ledger.money import Money


def refund_failed(
    *,
    amount: Money,
    fund: str,
    income_source: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
) -> JournalEntry:
    """Record a card refund that failed: Dr Stripe clearing, Cr the income the refund reversed."""
    amount = positive(amount)
    legs = [(held_in(STRIPE_CLEARING, fund), amount), (income_account(fund, income_source), -amount)]
    memo = make_memo(REFUND_FAILED, fund=fund, income=income_source)
    return build_entry(REFUND_FAILED, legs, key=key, on=on, source=source, actor_id=None, memo=memo)
