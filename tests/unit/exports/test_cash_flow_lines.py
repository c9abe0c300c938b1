"""Which line of the receipts-and-payments account a transaction's cash lands on, read from its other legs, so
accounts added later (a supplier paid for repairs, bank charges, interest) fall into sensible lines."""

from __future__ import annotations

from datetime import date

from pledgebank.exports.cash_flows import OPENING, PAYMENTS, RECEIPTS, TRANSFERS, Flow, classify, with_funds

ON = date(2026, 5, 1)
FUNDS = frozenset({"general", "trees"})


def flows(*legs) -> list[Flow]:
    return list(classify(ON, list(legs), FUNDS, "general"))


def test_any_income_account_is_a_receipt_and_any_expense_account_a_payment():
    assert flows(
        ("assets:bank:general", "asset", "general", 125),
        ("income:general:interest", "income", "general", -125),
    ) == [Flow(ON, "general", RECEIPTS, "interest", 125)]
    assert flows(
        ("assets:bank:trees", "asset", "trees", -4_000),
        ("expenses:trees:repairs", "expense", "trees", 4_000),
    ) == [Flow(ON, "trees", PAYMENTS, "repairs", 4_000)]
    # An account not yet tied to a fund row still belongs to the fund its code names.
    assert flows(
        ("assets:bank:trees", "asset", "trees", -300),
        ("expenses:trees:bank-charges", "expense", None, 300),
    ) == [Flow(ON, "trees", PAYMENTS, "bank-charges", 300)]


def test_a_card_payment_is_its_gross_receipt_and_its_fee_paid():
    assert flows(
        ("assets:stripe-clearing:trees", "asset", "trees", 2_442),
        ("expenses:trees:fees", "expense", "trees", 58),
        ("income:trees:pledges", "income", "trees", -2_500),
    ) == [Flow(ON, "trees", PAYMENTS, "fees", 58), Flow(ON, "trees", RECEIPTS, "pledges", 2_500)]


def test_an_award_is_no_payment_until_it_is_paid():
    award = [
        ("expenses:general:grants", "expense", "general", 150),
        ("liabilities:grants-payable:general", "liability", "general", -150),
    ]
    assert flows(*award) == []
    assert flows(
        ("liabilities:grants-payable:general", "liability", "general", 110),
        ("assets:bank:general", "asset", "general", -110),
    ) == [Flow(ON, "general", PAYMENTS, "grants", 110)]


def test_a_settled_levy_is_a_levy_receipt_only():
    assert flows(
        ("assets:cash:general", "asset", "general", 500),
        ("assets:receivables:general", "asset", "general", -500),
        ("liabilities:deferred-income:general", "liability", "general", 500),
        ("income:general:levies", "income", "general", -500),
    ) == [Flow(ON, "general", RECEIPTS, "levies", 500)]


def test_moving_money_between_places_is_nothing_and_between_funds_a_transfer():
    assert (
        flows(("assets:bank:trees", "asset", "trees", 900), ("assets:cash:trees", "asset", "trees", -900))
        == []
    )
    assert flows(
        ("assets:bank:general", "asset", "general", -700),
        ("assets:bank:trees", "asset", "trees", 700),
    ) == [
        Flow(ON, "general", TRANSFERS, "between-funds", -700),
        Flow(ON, "trees", TRANSFERS, "between-funds", 700),
    ]
    assert flows(
        ("assets:bank:general", "asset", "general", -700),
        ("equity:general:balance", "equity", "general", 700),
        ("assets:bank:trees", "asset", "trees", 700),
        ("equity:trees:balance", "equity", "trees", -700),
    ) == [
        Flow(ON, "general", TRANSFERS, "between-funds", -700),
        Flow(ON, "trees", TRANSFERS, "between-funds", 700),
    ]


def test_an_opening_balance_is_money_held_at_the_start():
    assert flows(
        ("assets:bank:general", "asset", "general", 10_000),
        ("equity:general:balance", "equity", "general", -10_000),
    ) == [Flow(ON, "general", OPENING, OPENING, 10_000)]


def test_book_level_legs_land_in_the_funds_they_are_attributed_to():
    grant_paid = [
        ("liabilities:grants-payable", "liability", None, 20_000),
        ("assets:bank", "asset", None, -20_000),
    ]
    assert flows(*grant_paid) == [Flow(ON, "general", PAYMENTS, "grants", 20_000)]  # read alone
    shares = {("liabilities:grants-payable", "trees"): 20_000, ("assets:bank", "trees"): -20_000}
    assert flows(*with_funds(grant_paid, shares)) == [Flow(ON, "trees", PAYMENTS, "grants", 20_000)]
    # A payout split between the funds whose clearing money it carried moves money within each: no flow.
    payout = [("assets:bank", "asset", None, 900), ("assets:stripe-clearing", "asset", None, -900)]
    split = {
        ("assets:bank", "trees"): 600,
        ("assets:stripe-clearing", "trees"): -600,
        ("assets:bank", "general"): 300,
        ("assets:stripe-clearing", "general"): -300,
    }
    assert flows(*with_funds(payout, split)) == []
    assert with_funds(payout, None) == payout
