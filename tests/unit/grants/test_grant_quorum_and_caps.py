"""Pure grant arithmetic: the quorum with conflicts, the caps on an award, and weighted scores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledgebank.books.services import InsufficientFunds
from pledgebank.errors import InvalidInput
from pledgebank.grants.decisions import AwardTooLarge, Caps, check_award
from pledgebank.grants.reviews import Quorum, quorum_needed, weighted_percent


@pytest.mark.parametrize(
    ("rule", "minimum", "eligible", "needed"),
    [
        ("majority", 2, 0, 2),
        ("majority", 2, 1, 2),
        ("majority", 2, 2, 2),
        ("majority", 2, 3, 2),
        ("majority", 2, 4, 3),
        ("majority", 2, 5, 3),
        ("majority", 2, 9, 5),
        ("majority", 4, 5, 4),
        ("all", 2, 5, 5),
        ("all", 2, 1, 2),
        ("fixed", 3, 9, 3),
        ("fixed", 2, 1, 2),
    ],
)
def test_quorum_needed(rule, minimum, eligible, needed):
    assert quorum_needed(rule, minimum, eligible) == needed


def test_conflicts_shrink_the_pool_and_can_make_a_quorum_impossible():
    # A committee of 5 with 2 conflicted: 3 may take part, a majority of them is 2.
    quorum = Quorum(committee=5, conflicted=2, needed=quorum_needed("majority", 2, 3), counted=1)
    assert (quorum.eligible, quorum.needed, quorum.possible, quorum.met) == (3, 2, True, False)
    assert Quorum(5, 2, 2, 2).met
    # A committee of 3 with 2 conflicted: one member is left and "at least 2" can never be met.
    stuck = Quorum(committee=3, conflicted=2, needed=quorum_needed("majority", 2, 1), counted=1)
    assert (stuck.possible, stuck.met) == (False, False)


@given(
    committee=st.integers(0, 30),
    conflicted=st.integers(0, 30),
    minimum=st.integers(2, 6),
    rule=st.sampled_from(["majority", "all", "fixed"]),
)
def test_the_quorum_is_never_below_the_minimum_nor_above_everyone_when_possible(
    committee, conflicted, minimum, rule
):
    conflicted = min(conflicted, committee)
    eligible = committee - conflicted
    needed = quorum_needed(rule, minimum, eligible)
    assert needed >= minimum
    if rule == "majority" and needed <= eligible:
        assert 2 * needed > eligible  # strictly more than half of those free to take part
    met = Quorum(committee, conflicted, needed, counted=eligible)
    assert met.met is (needed <= eligible)


CAPS = Caps(requested=30_000, max_award=25_000, round_remaining=20_000, fund_available=15_000)


@pytest.mark.parametrize(
    ("caps", "amount", "error", "words"),
    [
        (Caps(30_000, 50_000, 90_000, 90_000), 30_001, AwardTooLarge, "asked for"),
        (Caps(30_000, 25_000, 90_000, 90_000), 25_001, AwardTooLarge, "largest award"),
        (Caps(30_000, 50_000, 20_000, 90_000), 20_001, AwardTooLarge, "round's budget"),
        (Caps(30_000, 50_000, 90_000, 15_000), 15_001, InsufficientFunds, "fund does not have"),
        (CAPS, 0, InvalidInput, "above zero"),
    ],
)
def test_an_award_is_capped_by_request_largest_award_budget_and_fund(caps, amount, error, words):
    with pytest.raises(error) as refused:
        check_award(amount, caps)
    assert words in refused.value.message
    assert refused.value.fields == {"amount": [refused.value.message]}


def test_the_limit_is_the_smallest_cap_and_is_allowed():
    assert CAPS.limit == 15_000
    check_award(15_000, CAPS)
    with pytest.raises(InsufficientFunds):
        check_award(15_001, CAPS)


@pytest.mark.parametrize(
    ("scores", "weights", "percent"),
    [
        ({1: 5, 2: 5}, {1: 3, 2: 1}, 100),
        ({1: 0, 2: 0}, {1: 3, 2: 1}, 0),
        ({1: 4, 2: 0}, {1: 3, 2: 1}, 60),  # 12 of 20 points
        ({1: 3}, {1: 1, 2: 1}, 30),  # an unscored criterion counts as 0
        ({1: 1, 2: 2, 3: 2}, {1: 1, 2: 1, 3: 1}, 33),  # 5/15 = 33.3%
        ({1: 1}, {1: 8}, 20),
        ({}, {}, 0),
    ],
)
def test_weighted_percent(scores, weights, percent):
    assert weighted_percent(scores, weights) == percent
