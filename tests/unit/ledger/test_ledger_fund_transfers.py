"""A transfer between funds moves a fund's share of the bank or cash and its fund balance, and each fund's
legs balance on their own."""

import datetime

import pytest

from pledgebank.ledger import chart, kinds
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.fund_transfers import fund_transfer, fund_transfer_key
from pledgebank.ledger.money import Money

DAY = datetime.date(2026, 4, 1)
COMMON = {"key": "fund-transfer:7", "on": DAY, "source": {"fund_transfer": 7}, "actor_id": 3}


def gbp(amount):
    return Money(amount, "GBP")


@pytest.mark.parametrize("place", [chart.BANK, chart.CASH])
def test_a_transfer_moves_the_share_and_the_fund_balance(place):
    entry = fund_transfer(amount=gbp(2_500), from_fund="general", to_fund="roof", place=place, **COMMON)
    assert entry.kind == kinds.FUND_TRANSFER and entry.kind in kinds.KINDS
    assert [(p.account, p.amount.amount) for p in entry.postings] == [
        (f"{place}:general", -2_500),
        ("equity:general:balance", 2_500),
        (f"{place}:roof", 2_500),
        ("equity:roof:balance", -2_500),
    ]
    assert entry.memo == f"fund_transfer from=general to=roof place={place}"
    assert fund_transfer_key(7) == entry.idempotency_key


def test_each_funds_legs_balance_on_their_own():
    entry = fund_transfer(amount=gbp(999), from_fund="general", to_fund="roof", place=chart.BANK, **COMMON)
    per_fund: dict[str, int] = {}
    for posting in entry.postings:
        fund = chart.fund_of(posting.account)
        per_fund[fund] = per_fund.get(fund, 0) + posting.amount.amount
    assert per_fund == {"general": 0, "roof": 0}


@pytest.mark.parametrize("amount", [gbp(0), gbp(-1), 5, None])
def test_a_transfer_of_no_money_is_refused(amount):
    with pytest.raises(InvalidAmount):
        fund_transfer(amount=amount, from_fund="general", to_fund="roof", place=chart.BANK, **COMMON)


def test_a_transfer_to_the_same_fund_or_from_stripe_is_refused():
    with pytest.raises(InvalidEntry):
        fund_transfer(amount=gbp(1), from_fund="roof", to_fund="roof", place=chart.BANK, **COMMON)
    with pytest.raises(InvalidEntry):
        fund_transfer(amount=gbp(1), from_fund="a", to_fund="b", place=chart.STRIPE_CLEARING, **COMMON)
    with pytest.raises(ValueError, match="slug"):
        fund_transfer(amount=gbp(1), from_fund="Not A Slug", to_fund="b", place=chart.BANK, **COMMON)
