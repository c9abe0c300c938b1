"""Attributing legacy book-level legs to funds: by the fund's own legs, by source, by the funds' shares of the
place money left, else the general fund; each fund's legs always cancel, and the moving entry balances."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgebank.ledger import chart, legacy
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.money import Money

BANK, CASH, CLEARING = chart.BANK, chart.CASH, chart.STRIPE_CLEARING


def attribute(legs, named=None, held=None):
    return legacy.attribute(legs, named=named, held=held or {}, general="general")


def test_a_donation_on_the_book_level_bank_belongs_to_the_fund_whose_income_it_is():
    found = attribute([(BANK, 500), ("income:trees:donations", -500)], named="hall")
    assert (found.how, found.shares) == (legacy.BY_LEGS, {(BANK, "trees"): 500})


def test_one_book_level_leg_serving_two_funds_is_split_between_them():
    found = attribute([(BANK, 700), ("income:trees:donations", -300), ("income:hall:levies", -400)])
    assert found.shares == {(BANK, "trees"): 300, (BANK, "hall"): 400}


def test_a_grant_paid_names_no_fund_in_its_legs_so_its_source_does():
    found = attribute([(chart.GRANTS_PAYABLE, 2_000), (BANK, -2_000)], named="trees")
    assert (found.how, found.shares) == (
        legacy.BY_SOURCE,
        {(chart.GRANTS_PAYABLE, "trees"): 2_000, (BANK, "trees"): -2_000},
    )


def test_a_payout_belongs_to_the_funds_whose_money_sat_in_clearing_in_proportion():
    held = {(CLEARING, "trees"): 200, (CLEARING, "hall"): 400, (BANK, "trees"): 9_999}
    found = attribute([(BANK, 300), (CLEARING, -300)], held=held)
    assert found.how == legacy.BY_SHARES
    assert found.shares == {
        (CLEARING, "hall"): -200,
        (BANK, "hall"): 200,
        (CLEARING, "trees"): -100,
        (BANK, "trees"): 100,
    }


def test_a_move_larger_than_the_funds_held_leaves_the_rest_to_the_general_fund():
    found = attribute([(BANK, 300), (CASH, -300)], held={(CASH, "trees"): 100, (CASH, "hall"): -50})
    assert found.shares == {
        (CASH, "trees"): -100,
        (BANK, "trees"): 100,
        (CASH, "general"): -200,
        (BANK, "general"): 200,
    }


def test_what_nothing_attributes_goes_to_the_general_fund_by_default():
    found = attribute([(BANK, 300), (CASH, -300)])
    assert (found.how, found.shares) == (legacy.BY_DEFAULT, {(BANK, "general"): 300, (CASH, "general"): -300})


def test_an_earlier_move_into_shares_is_read_back_place_by_place():
    moved = [
        (BANK, -500),
        (f"{BANK}:trees", 500),
        (CASH, -100),
        (f"{CASH}:trees", 100),
        (BANK, -20),
        (f"{BANK}:hall", 20),
    ]
    found = attribute(moved)
    assert found.shares == {(BANK, "trees"): -500, (CASH, "trees"): -100, (BANK, "hall"): -20}


FUNDS = st.sampled_from(["general", "hall", "trees"])
PLACES = st.sampled_from(chart.FUND_HELD)
AMOUNTS = st.integers(-5_000, 5_000).filter(bool)


@given(
    fund_legs=st.lists(
        st.tuples(FUNDS, st.sampled_from(["income", "expenses", "held"]), AMOUNTS), max_size=4
    ),
    book_legs=st.lists(st.tuples(PLACES, AMOUNTS), min_size=1, max_size=4),
    named=st.none() | FUNDS,
    held=st.dictionaries(st.tuples(PLACES, FUNDS), st.integers(-3_000, 3_000), max_size=6),
)
def test_each_place_keeps_its_total_and_each_fund_cancels_its_own_legs(fund_legs, book_legs, named, held):
    legs = [
        (
            chart.held_in(BANK, fund)
            if kind == "held"
            else f"{kind}:{fund}:{'grants' if kind == 'expenses' else 'levies'}",
            a,
        )
        for fund, kind, a in fund_legs
    ]
    legs += book_legs
    legs.append((CASH, -sum(amount for _code, amount in legs)))
    legs = [(code, amount) for code, amount in legs if amount]
    found = attribute(legs, named=named, held=held).shares
    for place in chart.FUND_HELD:
        assert sum(a for (p, _f), a in found.items() if p == place) == sum(
            a for code, a in legs if code == place
        )
    for fund in ("general", "hall", "trees"):
        own = sum(a for code, a in legs if chart.fund_of(code) == fund)
        assert own + sum(a for (_p, f), a in found.items() if f == fund) == 0


def test_the_moving_entry_credits_each_place_and_debits_each_funds_share():
    gbp = lambda pence: Money(pence, "GBP")  # noqa: E731
    moves = {
        (BANK, "trees"): gbp(600),
        (BANK, "general"): gbp(250),
        (CLEARING, "trees"): gbp(40),
        (CLEARING, "general"): gbp(-40),
    }
    entry = legacy.legacy_attributed(moves=moves, through=9, defaulted=2, on=date(2026, 12, 5))
    assert [(p.account, p.amount.amount) for p in entry.postings] == [
        (CLEARING + ":general", -40),
        (CLEARING + ":trees", 40),
        (BANK, -850),
        (BANK + ":general", 250),
        (BANK + ":trees", 600),
    ]  # clearing's shares net to nothing, so it has no book-level leg
    assert entry.idempotency_key == "legacy-attribution:9"
    assert entry.memo == "legacy_attributed through=9 general-by-default=2"
    with pytest.raises(InvalidEntry):  # nothing to move is no entry
        legacy.legacy_attributed(moves={}, through=9, defaulted=0, on=date(2026, 12, 5))
