"""The year-end closing rule: every fund's income and expenses to zero, the net into the fund's balance."""

from __future__ import annotations

import datetime

import pytest

from pledgebank.ledger import chart, rules
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.money import Money

THROUGH = datetime.date(2026, 3, 31)


def gbp(amount: int) -> Money:
    """Pence as Money."""
    return Money(amount, "GBP")


def close(balances: dict[str, int]):
    """The closing entry for these balances."""
    return rules.year_closed(
        balances={code: gbp(amount) for code, amount in balances.items()},
        through=THROUGH,
        key=rules.year_close_key("elm-park", THROUGH),
        source={"closed_through": THROUGH.isoformat()},
        actor_id=7,
    )


def test_each_fund_closes_into_its_own_balance_and_balances_on_its_own():
    entry = close(
        {
            "income:general:pledges": -10_000,
            "income:general:donations": -2_500,
            "expenses:general:grants": 7_500,
            "expenses:general:fees": 58,
            "income:trees:donations": -3_000,
            "expenses:trees:fees": 0,
        }
    )
    assert (entry.kind, entry.effective_date, entry.idempotency_key) == (
        "year_closed",
        THROUGH,
        "year-close:elm-park:2026-03-31",
    )
    assert entry.memo == "year_closed through=2026-03-31"
    legs = {p.account: p.amount.amount for p in entry.postings}
    assert legs == {
        "expenses:general:fees": -58,
        "expenses:general:grants": -7_500,
        "income:general:donations": 2_500,
        "income:general:pledges": 10_000,
        "income:trees:donations": 3_000,
        "equity:general:balance": -4_942,
        "equity:trees:balance": -3_000,
    }
    for fund in ("general", "trees"):
        assert sum(amount for code, amount in legs.items() if chart.fund_of(code) == fund) == 0


def test_a_deficit_debits_the_fund_balance_and_a_fund_that_broke_even_needs_no_balance_leg():
    entry = close(
        {
            "income:roof:levies": -1_000,
            "expenses:roof:grants": 1_500,
            "income:hall:donations": -400,
            "expenses:hall:grants": 400,
        }
    )
    legs = {p.account: p.amount.amount for p in entry.postings}
    assert legs["equity:roof:balance"] == 500
    assert "equity:hall:balance" not in legs


def test_nothing_to_close_gives_no_entry():
    assert close({}) is None
    assert close({"income:general:pledges": 0}) is None


@pytest.mark.parametrize(
    "code", ["assets:bank", "liabilities:grants-payable", "equity:general:balance", "income:x"]
)
def test_a_close_touches_only_fund_income_and_expenses(code):
    with pytest.raises(InvalidEntry):
        close({code: 100})


def test_the_fund_balance_account_belongs_to_its_fund():
    assert chart.fund_balance("roof") == "equity:roof:balance"
    assert chart.fund_of("equity:roof:balance") == "roof"
    assert chart.type_of("equity:roof:balance") is chart.AccountType.EQUITY
    assert not chart.is_closed_at_year_end("equity:roof:balance")
    assert chart.is_closed_at_year_end("expenses:roof:fees")
