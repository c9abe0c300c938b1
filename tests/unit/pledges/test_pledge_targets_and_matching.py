"""The threshold rule (both targets when both are set) and a sponsor's match (ratio, rounded down, capped)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pledgebank.errors import InvalidInput
from pledgebank.pledges.extras import parse_ratio
from pledgebank.pledges.jobs import match_amount
from pledgebank.pledges.models import MatchOffer
from pledgebank.pledges.services import Progress, meets_targets


@pytest.mark.parametrize(
    ("target_pledgers", "target_amount", "pledgers", "amount", "met"),
    [
        (40, None, 39, 39_000, False),
        (40, None, 40, 400, True),
        (40, None, 41, 0, True),
        (None, 50_000, 1_000, 49_999, False),
        (None, 50_000, 1, 50_000, True),
        (10, 20_000, 10, 19_999, False),  # people met, money not
        (10, 20_000, 9, 90_000, False),  # money met, people not
        (10, 20_000, 10, 20_000, True),
        (None, None, 100, 100_000, False),  # no target: never met
        (1, None, 0, 0, False),
    ],
)
def test_meets_targets(target_pledgers, target_amount, pledgers, amount, met):
    assert meets_targets(target_pledgers, target_amount, pledgers, amount) is met
    assert Progress(pledgers, amount, 0, target_pledgers, target_amount).met is met


def test_progress_fraction_follows_the_target_furthest_from_met():
    assert Progress(5, 10_000, 0, 10, 40_000).fraction == 0.25
    assert Progress(20, 10_000, 0, 10, None).fraction == 1.0
    assert Progress(0, 0, 3, 10, None).fraction == 0.0


def offer(ratio_sponsor: int, ratio_pledged: int, cap: int) -> MatchOffer:
    """An unsaved offer (match_amount needs only its terms)."""
    return MatchOffer(ratio_sponsor=ratio_sponsor, ratio_pledged=ratio_pledged, cap=cap)


@pytest.mark.parametrize(
    ("sponsor", "pledged_part", "cap", "pledged", "owed"),
    [
        (1, 1, 100_000, 40_000, 40_000),  # pound for pound
        (1, 2, 100_000, 40_000, 20_000),  # a pound for every two
        (1, 2, 100_000, 40_001, 20_000),  # half a penny is not owed: rounded down
        (1, 3, 100_000, 1_000, 333),
        (2, 3, 100_000, 1_000, 666),  # 666.67 rounds down
        (3, 1, 100_000, 1_000, 3_000),
        (1, 1, 25_000, 40_000, 25_000),  # capped
        (1, 1, 40_000, 40_000, 40_000),  # exactly at the cap
        (1, 2, 100_000, 1, 0),  # too little to owe a penny
    ],
)
def test_match_amount(sponsor, pledged_part, cap, pledged, owed):
    assert match_amount(offer(sponsor, pledged_part, cap), pledged) == owed


@settings(max_examples=200, deadline=None)
@given(
    sponsor=st.integers(1, 999),
    pledged_part=st.integers(1, 999),
    cap=st.integers(1, 10**9),
    pledged=st.integers(0, 10**10),
)
def test_match_never_exceeds_the_ratio_or_the_cap(sponsor, pledged_part, cap, pledged):
    owed = match_amount(offer(sponsor, pledged_part, cap), pledged)
    assert 0 <= owed <= cap
    assert owed * pledged_part <= pledged * sponsor  # never more than the exact ratio
    if owed < cap:
        assert (owed + 1) * pledged_part > pledged * sponsor  # and less only by the rounding


@pytest.mark.parametrize(("text", "ratio"), [("1:1", (1, 1)), (" 1 : 2 ", (1, 2)), ("3:1", (3, 1))])
def test_parse_ratio(text, ratio):
    assert parse_ratio(text) == ratio


@pytest.mark.parametrize("text", ["", "1", "0:1", "1:0", "1:2:3", "a:b", "-1:1", "1.5:1", "1000:1"])
def test_parse_ratio_refuses_nonsense(text):
    with pytest.raises(InvalidInput) as refused:
        parse_ratio(text)
    assert "ratio" in refused.value.fields
