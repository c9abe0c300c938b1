from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgebank.ledger.allocation import allocate, allocate_money
from pledgebank.ledger.errors import CurrencyMismatch, InvalidAmount
from pledgebank.ledger.money import Money


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, {"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        (-100, {"a": 1, "b": 1, "c": 1}, {"a": -34, "b": -33, "c": -33}),
        (5, {"x": 0, "y": 3, "z": 3}, {"x": 0, "y": 3, "z": 2}),
        (10, {"a": 1, "b": 2}, {"a": 3, "b": 7}),
        (1, {"small": 1, "big": 2}, {"small": 0, "big": 1}),
        (0, {"a": 5, "b": 5}, {"a": 0, "b": 0}),
        (7, {"only": 3}, {"only": 7}),
        (101, {3: 1, 1: 1, 2: 1}, {1: 34, 2: 34, 3: 33}),
    ],
)
def test_allocate_table(total, weights, expected):
    assert allocate(total, weights) == expected
    assert sum(allocate(total, weights).values()) == total


def test_result_is_in_key_order():
    assert list(allocate(10, {"b": 1, "a": 1, "c": 1})) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (10, {}),
        (10, {"a": 0, "b": 0}),
        (10, {"a": -1, "b": 2}),
        (10, {"a": 1.5}),
        (10, {"a": True}),
        (1.0, {"a": 1}),
        (True, {"a": 1}),
    ],
)
def test_allocate_rejects(total, weights):
    with pytest.raises(InvalidAmount):
        allocate(total, weights)


def test_allocate_money():
    result = allocate_money(Money(1000, "GBP"), {"roof": 1, "garden": 2})
    assert result == {"garden": Money(667, "GBP"), "roof": Money(333, "GBP")}


def test_allocate_money_parts_add_up_in_currency():
    parts = allocate_money(Money(-7, "JPY"), {"a": 1, "b": 1})
    total = Money.zero("JPY")
    for part in parts.values():
        total += part
    assert total == Money(-7, "JPY")
    with pytest.raises(CurrencyMismatch):
        parts["a"] + Money(1, "GBP")


weights_strategy = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    st.integers(min_value=0, max_value=1000),
    min_size=1,
    max_size=8,
).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=100)
@given(st.integers(min_value=-(10**12), max_value=10**12), weights_strategy)
def test_allocation_properties(total, weights):
    parts = allocate(total, weights)
    assert set(parts) == set(weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for key, weight in weights.items():
        exact = Fraction(total * weight, weight_sum)
        assert abs(parts[key] - exact) < 1
        if weight == 0:
            assert parts[key] == 0
        if total >= 0:
            assert parts[key] >= 0


@settings(max_examples=100)
@given(st.integers(min_value=-(10**9), max_value=10**9), weights_strategy, st.randoms(use_true_random=False))
def test_allocation_independent_of_insertion_order(total, weights, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    assert allocate(total, dict(items)) == allocate(total, weights)
    assert list(allocate(total, dict(items)).items()) == list(allocate(total, weights).items())


@settings(max_examples=100)
@given(st.permutations([("a", 1), ("b", 1), ("c", 1), ("d", 2), ("e", 0)]), st.integers(0, 50))
def test_tie_break_uses_weight_then_key(items, total):
    parts = allocate(total, dict(items))
    assert parts == allocate(total, dict(sorted(items)))
    if total == 1:
        assert parts == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 0}
