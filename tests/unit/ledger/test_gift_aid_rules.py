"""The Gift Aid rules: a quarter of the gifts, rounded down, split by fund so it follows each gift's
restriction; a claim raises a receivable per fund, HMRC's payment settles it into the fund's Gift Aid
income."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from pledgebank.ledger import rules
from pledgebank.ledger.chart import fund_of
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.money import Money


def gbp(pence: int) -> Money:
    return Money(pence, "GBP")


def test_gift_aid_is_a_quarter_of_the_gifts_rounded_down_and_split_by_fund():
    parts = rules.gift_aid_on({"general": gbp(10_00), "fence": gbp(30_03)})
    # 40.03 / 4 = 10.0075 -> 10.00, shared 2.4981 : 7.5019, the leftover penny to the larger remainder.
    assert parts == {"fence": gbp(7_50), "general": gbp(2_50)}
    assert sum(p.amount for p in parts.values()) == 10_00


def test_no_gifts_or_mixed_currencies_are_refused():
    with pytest.raises(InvalidEntry):
        rules.gift_aid_on({})
    with pytest.raises(InvalidEntry):
        rules.gift_aid_on({"a": gbp(100), "b": Money(100, "EUR")})
    with pytest.raises(InvalidAmount):
        rules.gift_aid_on({"a": gbp(0)})


def _per_fund(entry) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for posting in entry.postings:
        sums[fund_of(posting.account) or "book"] += posting.amount.amount
    return dict(sums)


def test_a_claim_and_its_payment_balance_within_each_fund():
    by_fund = {"general": gbp(2_49), "fence": gbp(7_51)}
    claimed = rules.gift_aid_claimed(
        by_fund=by_fund, key="giftaid-claim:1", on=date(2026, 12, 1), source={"giftaid_claim": 1}
    )
    paid = rules.gift_aid_received(
        by_fund=by_fund, key="giftaid-claim:1:paid", on=date(2027, 1, 5), source={"giftaid_claim": 1}
    )
    assert _per_fund(claimed) == {"fence": 0, "general": 0}
    assert _per_fund(paid) == {"fence": 0, "general": 0}
    accounts = {p.account: p.amount.amount for p in paid.postings}
    assert accounts["income:fence:gift-aid"] == -7_51 and accounts["assets:bank:fence"] == 7_51
    assert {p.account: p.amount.amount for p in claimed.postings}["assets:receivables:general"] == 2_49
