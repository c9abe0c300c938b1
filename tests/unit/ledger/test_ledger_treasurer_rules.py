"""The treasurer's entries post the right legs, each within one fund, and refuse bad amounts and places."""

import datetime

import pytest

from pledgebank.ledger import chart, kinds, transfers
from pledgebank.ledger import treasurer as rules
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.money import Money

DAY = datetime.date(2026, 4, 1)
COMMON = {"key": "k-1", "on": DAY, "source": {"treasurer_entry": 7}, "actor_id": 3, "fund": "roof"}


def gbp(amount):
    return Money(amount, "GBP")


def legs(entry):
    return [(p.account, p.amount.amount) for p in entry.postings]


@pytest.mark.parametrize("into", [chart.BANK, chart.CASH])
def test_a_donation_debits_the_place_and_credits_donations(into):
    entry = rules.donation_received(amount=gbp(2_500), into=into, **COMMON)
    assert entry.kind == kinds.DONATION_RECEIVED
    assert legs(entry) == [(f"{into}:roof", 2_500), ("income:roof:donations", -2_500)]
    assert entry.memo == f"donation_received fund=roof into={into}"


def test_cash_banked_moves_the_fund_share_from_cash_to_bank():
    entry = transfers.cash_banked(amount=gbp(1_000), **COMMON)
    assert legs(entry) == [("assets:bank:roof", 1_000), ("assets:cash:roof", -1_000)]


@pytest.mark.parametrize("category", chart.EXPENSE_CATEGORIES)
def test_a_supplier_payment_debits_its_category_and_credits_the_share(category):
    entry = rules.supplier_paid(amount=gbp(40_000), category=category, from_account=chart.BANK, **COMMON)
    assert entry.kind == kinds.SUPPLIER_PAID
    assert legs(entry) == [(f"expenses:roof:{category}", 40_000), ("assets:bank:roof", -40_000)]


def test_bank_charges_and_interest():
    charges = rules.bank_charges(amount=gbp(450), **COMMON)
    assert legs(charges) == [("expenses:roof:bank-charges", 450), ("assets:bank:roof", -450)]
    interest = rules.bank_interest(amount=gbp(12), **COMMON)
    assert legs(interest) == [("assets:bank:roof", 12), ("income:roof:interest", -12)]


def test_opening_balances_credit_the_fund_balance_and_leave_out_a_zero_share():
    entry = rules.opening_balance(bank=gbp(120_000), cash=gbp(3_000), **COMMON)
    assert legs(entry) == [
        ("assets:bank:roof", 120_000),
        ("assets:cash:roof", 3_000),
        ("equity:roof:balance", -123_000),
    ]
    bank_only = rules.opening_balance(bank=gbp(500), cash=gbp(0), **COMMON)
    assert legs(bank_only) == [("assets:bank:roof", 500), ("equity:roof:balance", -500)]


@pytest.mark.parametrize("amount", [gbp(0), gbp(-1), 5, None])
def test_bad_amounts_are_refused(amount):
    with pytest.raises(InvalidAmount):
        rules.donation_received(amount=amount, into=chart.BANK, **COMMON)
    with pytest.raises(InvalidAmount):
        rules.bank_charges(amount=amount, **COMMON)


def test_bad_places_categories_and_opening_amounts_are_refused():
    with pytest.raises(InvalidEntry):
        rules.donation_received(amount=gbp(1), into=chart.STRIPE_CLEARING, **COMMON)
    with pytest.raises(InvalidEntry):
        rules.supplier_paid(amount=gbp(1), category="grants", from_account=chart.BANK, **COMMON)
    with pytest.raises(InvalidAmount):
        rules.opening_balance(bank=gbp(0), cash=gbp(0), **COMMON)
    with pytest.raises(InvalidAmount):
        rules.opening_balance(bank=gbp(-5), cash=gbp(10), **COMMON)


def test_every_fund_has_the_new_accounts_and_they_close_at_year_end():
    codes = {spec.code for spec in chart.treasurer_accounts("roof", "Roof")}
    assert {"income:roof:interest", "expenses:roof:bank-charges", "expenses:roof:hall-hire"} <= codes
    assert chart.fund_of("expenses:roof:hall-hire") == "roof"
    assert chart.is_closed_at_year_end("income:roof:interest")
    assert chart.is_closed_at_year_end("expenses:roof:repairs")
