"""Account names for beancount and hledger, and amounts in major units."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgebank.exports.naming import code_of, major, tool_account
from pledgebank.ledger import chart
from pledgebank.ledger.money import CURRENCY_EXPONENTS, MAX_AMOUNT, Money

# beancount: a capitalised root, then components starting with a capital letter or a digit.
BEANCOUNT_NAME = re.compile(r"(Assets|Liabilities|Income|Expenses|Equity)(:[A-Z0-9][A-Za-z0-9-]*)+")


@pytest.mark.parametrize("fund", ["general", "playground-fund", "2026-fund", "a"])
def test_every_chart_code_maps_to_a_valid_tool_name_and_back(fund):
    codes = [spec.code for spec in (*chart.book_accounts(), *chart.fund_accounts(fund, "A fund"))]
    names = [tool_account(code) for code in codes]
    assert all(BEANCOUNT_NAME.fullmatch(name) for name in names), names
    assert [code_of(name) for name in names] == codes
    assert len(set(names)) == len(names)


def test_examples_and_refusals():
    assert tool_account("assets:stripe-clearing") == "Assets:Stripe-clearing"
    assert tool_account("income:playground-fund:pledges") == "Income:Playground-fund:Pledges"
    assert tool_account("expenses:x_y:fees") == "Expenses:X-y:Fees"
    assert tool_account("liabilities:-odd") == "Liabilities:X-odd"
    with pytest.raises(ValueError):
        tool_account("savings:pot")
    with pytest.raises(ValueError):
        tool_account("assets")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT), st.sampled_from(sorted(CURRENCY_EXPONENTS)))
def test_major_is_the_same_text_as_money_major_str(amount, currency):
    assert major(amount, currency) == Money(amount, currency).major_str()


def test_major_examples():
    assert [major(n, "GBP") for n in (5, -5, 0, 123456, -100)] == [
        "0.05",
        "-0.05",
        "0.00",
        "1234.56",
        "-1.00",
    ]
    assert (major(1200, "JPY"), major(-1, "KWD")) == ("1200", "-0.001")
