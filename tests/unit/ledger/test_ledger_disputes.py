"""The dispute rules: a withdrawal reverses the income and spends the dispute fee, a reinstatement brings the
income back without the fee; both balance within the fund and refuse amounts that are not positive money."""

from __future__ import annotations

import datetime

import pytest

from pledgebank.ledger.disputes import dispute_funds_reinstated, dispute_funds_withdrawn
from pledgebank.ledger.errors import InvalidAmount
from pledgebank.ledger.money import Money

DAY = datetime.date(2026, 3, 10)
SOURCE = {"payment_intent": "pi_1", "dispute": "du_1", "balance_transaction": "txn_1"}


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def legs(entry) -> dict[str, int]:
    """An entry's postings by account code."""
    return {p.account: p.amount.amount for p in entry.postings}


def test_funds_withdrawn_reverse_income_and_spend_the_fee():
    entry = dispute_funds_withdrawn(
        amount=gbp(1000), fee=gbp(2000), fund="trees", income_source="pledges", key="k", on=DAY, source=SOURCE
    )
    assert entry.kind == "dispute_funds_withdrawn"
    assert legs(entry) == {
        "income:trees:pledges": 1000,
        "expenses:trees:fees": 2000,
        "assets:stripe-clearing:trees": -3000,
    }


def test_a_withdrawal_without_a_fee_has_no_fee_leg():
    entry = dispute_funds_withdrawn(
        amount=gbp(500), fee=gbp(0), fund="general", income_source="levies", key="k", on=DAY, source=SOURCE
    )
    assert legs(entry) == {"income:general:levies": 500, "assets:stripe-clearing:general": -500}


def test_a_dispute_won_brings_the_income_back():
    entry = dispute_funds_reinstated(
        amount=gbp(1000), fund="trees", income_source="pledges", key="k", on=DAY, source=SOURCE
    )
    assert entry.kind == "dispute_funds_reinstated"
    assert legs(entry) == {"assets:stripe-clearing:trees": 1000, "income:trees:pledges": -1000}


@pytest.mark.parametrize("amount", [0, -1])
def test_amounts_that_are_not_positive_are_refused(amount):
    with pytest.raises(InvalidAmount):
        dispute_funds_reinstated(
            amount=gbp(amount), fund="trees", income_source="pledges", key="k", on=DAY, source=SOURCE
        )
    with pytest.raises(InvalidAmount):
        dispute_funds_withdrawn(
            amount=gbp(amount),
            fee=gbp(0),
            fund="trees",
            income_source="pledges",
            key="k",
            on=DAY,
            source=SOURCE,
        )


def test_a_negative_fee_is_refused():
    with pytest.raises(InvalidAmount):
        dispute_funds_withdrawn(
            amount=gbp(100),
            fee=gbp(-1),
            fund="trees",
            income_source="pledges",
            key="k",
            on=DAY,
            source=SOURCE,
        )
