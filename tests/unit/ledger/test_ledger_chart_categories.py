"""Expense categories in the chart: any valid category slug is a fund's expense account, recognised by the
year-end close and the fund filters, while the fixed expense accounts' names stay out of the categories."""

import datetime

import pytest

from pledgebank.ledger import chart
from pledgebank.ledger import treasurer as rules
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.money import Money

COMMON = {"key": "k-1", "on": datetime.date(2026, 4, 1), "source": {"treasurer_entry": 7}, "fund": "roof"}


@pytest.mark.parametrize("slug", ["garden-supplies", "a", "x" * 20, "room-2", *chart.EXPENSE_CATEGORIES])
def test_a_category_slug_is_lowercase_words_of_up_to_twenty_characters(slug):
    assert chart.validate_category_slug(slug) == slug
    assert chart.expense_account("roof", slug) == f"expenses:roof:{slug}"


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "x" * 21,
        "Garden",
        "garden--supplies",
        "-garden",
        "garden_supplies",
        "grants",
        "fees",
        "bank-charges",
        "a:b",
        7,
    ],
)
def test_a_bad_or_reserved_slug_is_no_category(slug):
    with pytest.raises(ValueError):
        chart.validate_category_slug(slug)
    if slug != chart.BANK_CHARGES:  # its own account, but no category
        with pytest.raises(ValueError):
            chart.expense_account("roof", slug)


def test_bank_charges_keep_their_own_expense_account():
    assert chart.expense_account("roof", chart.BANK_CHARGES) == "expenses:roof:bank-charges"


@pytest.mark.parametrize(
    ("code", "fund"),
    [
        ("expenses:roof:garden-supplies", "roof"),
        ("expenses:roof:hall-hire", "roof"),
        ("expenses:roof:grants", "roof"),
        ("expenses:roof:Garden", None),
        ("expenses:roof:" + "x" * 21, None),
        ("expenses:Roof:garden", None),
        ("expenses:roof:garden:extra", None),
        ("income:roof:garden", None),
        ("equity:roof:garden", None),
    ],
)
def test_an_added_category_is_recognised_as_its_funds_account(code, fund):
    assert chart.fund_of(code) == fund
    assert chart.is_closed_at_year_end(code) is (fund is not None)


def test_a_fund_opens_an_account_for_each_category_given_and_the_six_by_default():
    defaults = {spec.code for spec in chart.treasurer_accounts("roof", "Roof")}
    assert {f"expenses:roof:{c}" for c in chart.EXPENSE_CATEGORIES} <= defaults
    names = {spec.code: spec.name for spec in chart.fund_accounts("roof", "Roof", [("garden", "Garden")])}
    assert names["expenses:roof:garden"] == "Roof: Garden"
    assert "expenses:roof:repairs" not in names
    assert names["expenses:roof:bank-charges"] == "Roof: bank charges"


def test_the_longest_fund_and_category_fit_the_account_columns():
    spec = chart.category_account("a" * 40, "N" * 80, "x" * 20, "C" * 36)
    assert len(spec.code) <= 80 and len(spec.name) <= 120
    assert chart.fund_of(spec.code) == "a" * 40


def test_a_supplier_payment_may_use_an_added_category_but_not_a_fixed_account():
    entry = rules.supplier_paid(
        amount=Money(900, "GBP"), category="garden-supplies", from_account=chart.CASH, **COMMON
    )
    assert [(p.account, p.amount.amount) for p in entry.postings] == [
        ("expenses:roof:garden-supplies", 900),
        ("assets:cash:roof", -900),
    ]
    for bad in ("grants", "bank-charges", "Garden", ""):
        with pytest.raises(InvalidEntry):
            rules.supplier_paid(amount=Money(900, "GBP"), category=bad, from_account=chart.CASH, **COMMON)
