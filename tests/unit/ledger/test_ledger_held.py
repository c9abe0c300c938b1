"""Cash pledges: held in a liability, then recognised as the fund's income or returned."""

import datetime

import pytest

from pledgebank.ledger import chart, held
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.money import Money

ON = datetime.date(2026, 3, 1)


def legs(entry):
    return {p.account: p.amount.amount for p in entry.postings}


def test_cash_held_then_recognised_moves_the_money_into_pledge_income():
    taken = held.pledge_cash_held(
        fund="general", amount=Money(1000, "GBP"), key="k1", on=ON, source={"signup": 1}
    )
    recognised = held.pledge_cash_recognised(
        amount=Money(1000, "GBP"), fund="general", key="k2", on=ON, source={"signup": 1}
    )
    assert legs(taken) == {
        chart.held_in(chart.CASH, "general"): 1000,
        chart.held_in(chart.PLEDGES_HELD, "general"): -1000,
    }
    assert legs(recognised) == {
        chart.held_in(chart.PLEDGES_HELD, "general"): 1000,
        "income:general:pledges": -1000,
    }


def test_cash_returned_empties_the_liability_from_the_account_it_came_into():
    returned = held.pledge_cash_returned(
        fund="general",
        amount=Money(500, "GBP"),
        key="k3",
        on=ON,
        source={"signup": 2},
        from_account=chart.BANK,
    )
    assert legs(returned) == {
        chart.held_in(chart.PLEDGES_HELD, "general"): 500,
        chart.held_in(chart.BANK, "general"): -500,
    }


def test_held_rules_refuse_zero_and_odd_accounts():
    with pytest.raises(InvalidAmount):
        held.pledge_cash_held(fund="general", amount=Money(0, "GBP"), key="k", on=ON, source={})
    with pytest.raises(InvalidEntry):
        held.pledge_cash_held(
            fund="general", amount=Money(10, "GBP"), key="k", on=ON, source={}, into=chart.STRIPE_CLEARING
        )
    with pytest.raises(InvalidEntry):
        held.pledge_cash_returned(
            fund="general", amount=Money(10, "GBP"), key="k", on=ON, source={}, from_account=chart.RECEIVABLES
        )
