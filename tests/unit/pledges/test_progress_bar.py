"""The progress bar's geometry, in thousandths of its width: the pledges, each sponsor's segment after them,
and the target's mark once sponsors' money takes the bar past it."""

from __future__ import annotations

from pledgebank.pledges.standing import Count, Reasons, Standing


def _standing(percent: int, goal: int, *matches: int) -> Standing:
    return Standing(
        pledged=Count(),
        known=True,
        percent=percent,
        matches=[(f"Sponsor {n}", amount, "offered") for n, amount in enumerate(matches)],
        reasons=Reasons(),
        goal=goal,
    )


def test_pledges_alone_fill_their_share_and_the_target_is_the_end_of_the_bar():
    bar = _standing(25, 4000).bar()
    assert (bar.pledged, bar.matches, bar.target) == (250, [], 1000)


def test_each_sponsor_is_its_own_segment_after_the_pledges():
    bar = _standing(25, 4000, 1000, 500).bar()
    assert (bar.pledged, bar.matches, bar.target) == (250, [(250, 250), (500, 125)], 1000)


def test_sponsors_past_the_target_shrink_the_bar_and_mark_the_target():
    bar = _standing(100, 2000, 2000).bar()  # the target met, and a sponsor doubling it
    assert (bar.pledged, bar.matches, bar.target) == (500, [(500, 500)], 500)


def test_more_than_the_target_pledged_marks_the_target_inside_the_bar():
    bar = _standing(150, 2000).bar()
    assert (bar.pledged, bar.target) == (1000, 666)
