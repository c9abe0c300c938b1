"""Card disputes (chargebacks): the bank takes a payment back, with Stripe's dispute fee, and may return it.

A dispute reverses income the way a refund does: the money withdrawn is debited to the income it was
received as, so the fund's income shows what it kept. Stripe's dispute fee is a payment-processing cost of
the fund, like the card fee. A dispute won brings the amount back to the same income; the fee stays spent.
"""

from __future__ import annotations

import datetime

from pledgebank.ledger.chart import STRIPE_CLEARING, fees_expense, held_in, income_account
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.kinds import DISPUTE_FUNDS_REINSTATED, DISPUTE_FUNDS_WITHDRAWN
from pledgebank.ledger.legs import SourceRefs, build_entry, fee_or_zero, make_memo, positive
from pledgebank.ledger.money import Money


def dispute_funds_withdrawn(
    *,
    amount: Money,
    fee: Money,
    fund: str,
    income_source: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
) -> JournalEntry:
    """Record a dispute's withdrawal: Dr income (amount), Dr fees (fee, omitted if zero), Cr clearing."""
    amount = positive(amount)
    fee = fee_or_zero(fee, amount + fee)
    legs = [
        (income_account(fund, income_source), amount),
        (fees_expense(fund), fee),
        (held_in(STRIPE_CLEARING, fund), -(amount + fee)),
    ]
    memo = make_memo(DISPUTE_FUNDS_WITHDRAWN, fund=fund, income=income_source)
    return build_entry(DISPUTE_FUNDS_WITHDRAWN, legs, key=key, on=on, source=source, actor_id=None, memo=memo)


def dispute_funds_reinstated(
    *,
    amount: Money,
    fund: str,
    income_source: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
) -> JournalEntry:
    """Record a dispute won: Dr clearing, Cr income (the dispute fee is not returned)."""
    amount = positive(amount)
    legs = [(held_in(STRIPE_CLEARING, fund), amount), (income_account(fund, income_source), -amount)]
    memo = make_memo(DISPUTE_FUNDS_REINSTATED, fund=fund, income=income_source)
    return build_entry(
        DISPUTE_FUNDS_REINSTATED, legs, key=key, on=on, source=source, actor_id=None, memo=memo
    )
