"""Levy arithmetic, pure: council-tax bands as ninths of band D, periods, and proration by days.

Amounts are integer minor units. Every division rounds half up, explicitly, in integers: no floats.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Band(StrEnum):
    """Council-tax valuation bands."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    H = "H"


class Period(StrEnum):
    """How often a levy charges."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class Basis(StrEnum):
    """The same amount for every household, or by band relative to band D."""

    FLAT = "flat"
    BANDED = "banded"


# Each band's charge in ninths of band D's (the statutory council-tax ratios).
BAND_NINTHS: dict[Band, int] = {
    Band.A: 6,
    Band.B: 7,
    Band.C: 8,
    Band.D: 9,
    Band.E: 11,
    Band.F: 13,
    Band.G: 15,
    Band.H: 18,
}
PERIOD_MONTHS: dict[Period, int] = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.ANNUAL: 12}


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest whole number, a half rounding up (both non-negative)."""
    if denominator <= 0 or numerator < 0:
        raise ValueError("divide_half_up takes a non-negative numerator and a positive denominator")
    return (2 * numerator + denominator) // (2 * denominator)


def band_amount(band_d: int, band: str) -> int:
    """A band's amount from band D's, rounded to the penny (half up)."""
    return divide_half_up(band_d * BAND_NINTHS[Band(band)], 9)


def full_amount(basis: str, amount: int, band: str) -> int:
    """One whole period's charge for a household: the flat amount, or its band's share of band D."""
    return amount if Basis(basis) == Basis.FLAT else band_amount(amount, band)


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later; clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Span:
    """One period: from start (inclusive) to end (exclusive)."""

    index: int
    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days


def period_span(first_start: date, period: str, index: int) -> Span:
    """The index-th period of a levy whose first period starts on first_start (counted from the anchor,
    so a levy starting on the 31st charges from the last day of shorter months and back to the 31st)."""
    months = PERIOD_MONTHS[Period(period)]
    return Span(index, add_months(first_start, index * months), add_months(first_start, (index + 1) * months))


def period_index(first_start: date, period: str, day: date) -> int:
    """The index of the period that contains day (negative before the first period)."""
    months = PERIOD_MONTHS[Period(period)]
    index = ((day.year - first_start.year) * 12 + day.month - first_start.month) // months
    while period_span(first_start, period, index).start > day:
        index -= 1
    while period_span(first_start, period, index + 1).start <= day:
        index += 1
    return index


def periods_started(first_start: date, period: str, since: date, today: date) -> list[Span]:
    """The periods that have started by today and end after since, oldest first."""
    if today < first_start:
        return []
    first = max(0, period_index(first_start, period, since))
    last = period_index(first_start, period, today)
    spans = [period_span(first_start, period, index) for index in range(first, last + 1)]
    return [span for span in spans if span.end > since]


def prorate(amount: int, days: int, period_days: int) -> int:
    """The share of amount for days out of period_days, rounded to the penny (half up)."""
    if not 0 <= days <= period_days:
        raise ValueError(f"{days} days is not part of a {period_days}-day period")
    return divide_half_up(amount * days, period_days)


def charge_for(
    *, full: int, span: Span, liable_from: date, liable_until: date | None, prorate_partial: bool
) -> int:
    """What a household owes for a period it is liable for from liable_from until liable_until (exclusive).

    A household liable for only part of the period pays for its days when prorate_partial is set, and the
    whole period otherwise; a household not liable at all in the period owes nothing.
    """
    start = max(span.start, liable_from)
    end = span.end if liable_until is None else min(span.end, liable_until)
    if end <= start:
        return 0
    days = (end - start).days
    if days == span.days or not prorate_partial:
        return full
    return prorate(full, days, span.days)


ARREARS_AGES: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


def arrears_age(days: int) -> str:
    """The age band of a debt that fell due `days` days ago: 0-30, 31-60, 61-90 or 90+."""
    for label, low, high in ARREARS_AGES:
        if days >= low and (high is None or days <= high):
            return label
    raise ValueError(f"a debt cannot fall due in the future ({days} days)")
