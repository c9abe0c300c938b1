"""A refund that failed after it was made: the money comes back to Stripe clearing and to the income the
refund took it from, within the fund; amounts that are not positive money are refused."""

from __future__ import annotations

import datetime

import pytest

from pledgebank.ledger.errors import InvalidAmount
from pledgebank.ledger.kinds import KINDS, REFUND_FAILED
from pledgebank.ledger.money import Money
from pledgebank.ledger.refund_failures import refund_failed
from pledgebank.ledger.rules import refund

DAY = datetime.date(2026, 3, 10)
SOURCE = {"payment_intent": "pi_1", "refund": "re_1", "balance_transaction": "txn_2"}


def legs(entry) -> dict[str, int]:
    """An entry's postings by account code."""
    return {p.account: p.amount.amount for p in entry.postings}


def test_a_failed_refund_puts_back_exactly_what_the_refund_took():
    common = {"fund": "trees", "income_source": "pledges", "on": DAY, "source": SOURCE}
    made = refund(amount=Money(700, "GBP"), key="a", **common)
    failed = refund_failed(amount=Money(700, "GBP"), key="b", **common)
    assert failed.kind == REFUND_FAILED and REFUND_FAILED in KINDS
    assert legs(failed) == {"assets:stripe-clearing:trees": 700, "income:trees:pledges": -700}
    assert {code: -amount for code, amount in legs(made).items()} == legs(failed)
    assert failed.memo == "refund_failed fund=trees income=pledges"


@pytest.mark.parametrize("amount", [0, -1])
def test_amounts_that_are_not_positive_are_refused(amount):
    with pytest.raises(InvalidAmount):
        refund_failed(
            amount=Money(amount, "GBP"), fund="trees", income_source="pledges", key="k", on=DAY, source=SOURCE
        )
