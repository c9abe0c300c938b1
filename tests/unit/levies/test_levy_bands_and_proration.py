"""Band arithmetic, periods and proration as tables of cases: integer pence, halves rounded up."""

from __future__ import annotations

from datetime import date

import pytest

from pledgebank.levies.bands import (
    Span,
    add_months,
    arrears_age,
    band_amount,
    charge_for,
    divide_half_up,
    full_amount,
    period_index,
    period_span,
    periods_started,
    prorate,
)

# band D amount -> every band's amount, A to H (ninths of D: 6 7 8 9 11 13 15 18, rounded half up)
BANDS = [
    (900, [600, 700, 800, 900, 1100, 1300, 1500, 1800]),
    (1000, [667, 778, 889, 1000, 1222, 1444, 1667, 2000]),  # 666.67, 777.78, 888.89, 1222.22 ...
    (1, [1, 1, 1, 1, 1, 1, 2, 2]),  # 0.67 -> 1, 1.22 -> 1, 1.67 -> 2
    (3, [2, 2, 3, 3, 4, 4, 5, 6]),  # 2.0, 2.33, 2.67, 3, 3.67, 4.33, 5, 6
    (150, [100, 117, 133, 150, 183, 217, 250, 300]),  # 116.67, 133.33, 183.33, 216.67
    (27, [18, 21, 24, 27, 33, 39, 45, 54]),  # exact ninths
    (123_457, [82305, 96022, 109740, 123457, 150892, 178327, 205762, 246914]),
]


@pytest.mark.parametrize(("band_d", "expected"), BANDS)
def test_band_amounts_are_ninths_of_band_d_rounded_half_up(band_d, expected):
    assert [band_amount(band_d, band) for band in "ABCDEFGH"] == expected


def test_a_half_penny_rounds_up():
    # 9 * x / 9 never halves; check the rule on the divider itself, and on a band that lands on .5
    assert [divide_half_up(n, 2) for n in (1, 3, 5)] == [1, 2, 3]
    assert [divide_half_up(n, 4) for n in (1, 2, 3)] == [0, 1, 1]
    assert band_amount(3, "B") == 2  # 2.333 rounds down
    assert band_amount(9 * 5 + 3, "A") == 32  # 48 * 6 / 9 = 32 exactly
    assert band_amount(3, "E") == 4  # 3.667 up


def test_flat_levies_ignore_the_band():
    assert {full_amount("flat", 1234, band) for band in "ABCDEFGH"} == {1234}
    assert full_amount("banded", 900, "H") == 1800


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 1), 12, date(2027, 3, 1)),
    ],
)
def test_adding_months_clamps_to_the_end_of_short_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("period", "index", "start", "end"),
    [
        ("monthly", 0, date(2026, 1, 31), date(2026, 2, 28)),
        ("monthly", 1, date(2026, 2, 28), date(2026, 3, 31)),  # back to the 31st: anchored on the first start
        ("monthly", 2, date(2026, 3, 31), date(2026, 4, 30)),
        ("quarterly", 1, date(2026, 4, 30), date(2026, 7, 31)),
        ("annual", 1, date(2027, 1, 31), date(2028, 1, 31)),
    ],
)
def test_periods_follow_the_first_start(period, index, start, end):
    span = period_span(date(2026, 1, 31), period, index)
    assert (span.start, span.end) == (start, end)


@pytest.mark.parametrize(
    ("day", "index"),
    [
        (date(2026, 1, 30), -1),
        (date(2026, 1, 31), 0),
        (date(2026, 2, 27), 0),
        (date(2026, 2, 28), 1),
        (date(2026, 3, 30), 1),
        (date(2026, 3, 31), 2),
        (date(2027, 1, 31), 12),
    ],
)
def test_the_period_containing_a_day(day, index):
    assert period_index(date(2026, 1, 31), "monthly", day) == index


def test_periods_started_by_a_day_from_a_date():
    first = date(2026, 3, 1)
    assert periods_started(first, "monthly", first, date(2026, 2, 28)) == []
    spans = periods_started(first, "monthly", first, date(2026, 5, 1))
    assert [s.start for s in spans] == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    later = periods_started(first, "monthly", date(2026, 4, 15), date(2026, 5, 1))
    assert [s.start for s in later] == [date(2026, 4, 1), date(2026, 5, 1)]


MARCH = Span(0, date(2026, 3, 1), date(2026, 4, 1))  # 31 days
QUARTER = Span(0, date(2026, 3, 1), date(2026, 6, 1))  # 92 days


@pytest.mark.parametrize(
    ("span", "full", "liable_from", "until", "prorated", "expected"),
    [
        (MARCH, 3100, date(2026, 3, 1), None, True, 3100),  # the whole period
        (MARCH, 3100, date(2026, 2, 1), None, True, 3100),  # joined before it
        (MARCH, 3100, date(2026, 3, 2), None, True, 3000),  # 30 of 31 days
        (MARCH, 3100, date(2026, 3, 31), None, True, 100),  # the last day
        (MARCH, 1000, date(2026, 3, 17), None, True, 484),  # 15/31 * 1000 = 483.87
        (MARCH, 1000, date(2026, 3, 16), None, True, 516),  # 16/31 * 1000 = 516.13
        (MARCH, 3100, date(2026, 3, 17), None, False, 3100),  # not prorating: the whole period
        (MARCH, 3100, date(2026, 4, 1), None, True, 0),  # liable from after the period
        (MARCH, 3100, date(2026, 3, 1), date(2026, 3, 11), True, 1000),  # the levy ends after 10 days
        (MARCH, 3100, date(2026, 3, 1), date(2026, 3, 1), True, 0),
        (QUARTER, 920, date(2026, 5, 1), None, True, 310),  # 31 of 92 days
        (QUARTER, 1, date(2026, 5, 16), None, True, 0),  # 16/92 of a penny rounds to nothing
        (QUARTER, 1, date(2026, 4, 16), None, True, 1),  # 46/92: exactly half a penny rounds up
    ],
)
def test_a_household_liable_for_part_of_a_period_pays_for_its_days(
    span, full, liable_from, until, prorated, expected
):
    assert (
        charge_for(
            full=full, span=span, liable_from=liable_from, liable_until=until, prorate_partial=prorated
        )
        == expected
    )


def test_proration_refuses_days_outside_the_period():
    assert prorate(3100, 31, 31) == 3100
    with pytest.raises(ValueError, match="not part"):
        prorate(3100, 32, 31)
    with pytest.raises(ValueError, match="non-negative"):
        divide_half_up(-1, 2)


@pytest.mark.parametrize(
    ("days", "age"),
    [(0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+")],
)
def test_arrears_ages(days, age):
    assert arrears_age(days) == age
