"""The pulse's arithmetic: the Wilson score interval against a worked example, the share agreeing, and the
small-number suppression (nothing under five views)."""

from __future__ import annotations

import pytest

from pledgebank.pulse.figures import MIN_RESPONSES, share_agreeing, wilson


def test_wilson_interval_matches_a_worked_example():
    """7 of 10 agree, z = 1.96 (95%), worked by hand:

    p = 7/10 = 0.7;  z² = 3.8416;  z²/n = 0.38416, so the denominator is 1 + 0.38416 = 1.38416.
    centre = (p + z²/2n) / 1.38416 = (0.7 + 0.19208) / 1.38416 = 0.89208 / 1.38416 = 0.644492
    half-width = z · sqrt(p(1-p)/n + z²/4n²) / 1.38416
               = 1.96 · sqrt(0.021 + 0.009604) / 1.38416 = 1.96 · sqrt(0.030604) / 1.38416
               = 1.96 · 0.174940 / 1.38416 = 0.342882 / 1.38416 = 0.247719
    interval = 0.644492 ± 0.247719 = 0.396773 to 0.892211 (the usual table value: 39.7% to 89.2%).
    """
    low, high = wilson(7, 10, z=1.96)
    assert low == pytest.approx(0.396773, abs=1e-6)
    assert high == pytest.approx(0.892211, abs=1e-6)


def test_wilson_interval_at_the_edges_stays_within_zero_and_one():
    """0 of 5: centre = (0 + 3.8416/10) / 1.76832 = 0.217246 and half-width the same, so 0 to 0.434491."""
    low, high = wilson(0, 5, z=1.96)
    assert low == 0.0
    assert high == pytest.approx(0.434491, abs=1e-6)
    low, high = wilson(5, 5, z=1.96)
    assert high == 1.0
    assert low == pytest.approx(1 - 0.434491, abs=1e-6)


def test_wilson_refuses_impossible_counts():
    for successes, trials in ((1, 0), (6, 5), (-1, 5)):
        with pytest.raises(ValueError):
            wilson(successes, trials)


def test_the_share_counts_agree_and_strongly_agree_over_those_who_gave_a_view():
    # 4 and 5 agree; 3, 2, 1 do not; 0 ("don't know") gives no view and is left out of the share.
    share = share_agreeing([5, 4, 4, 3, 2, 1, 5, 0, 0, 4])
    assert share is not None
    assert (share.agreeing, share.views, share.answered) == (5, 8, 10)
    assert share.percent == 62  # 5/8 = 62.5%, rounded half to even
    assert dict(share.counts) == {
        "Strongly agree": 2,
        "Agree": 3,
        "Neither agree nor disagree": 1,
        "Disagree": 1,
        "Strongly disagree": 1,
        "Don't know": 2,
    }
    assert (share.low, share.high) == wilson(5, 8)


def test_no_figure_under_five_views():
    assert MIN_RESPONSES == 5
    assert share_agreeing([5, 5, 5, 5]) is None
    assert share_agreeing([5, 5, 5, 5, 0, 0, 0]) is None  # seven answered, but only four gave a view
    assert share_agreeing([5, 5, 5, 5, 1]) is not None
