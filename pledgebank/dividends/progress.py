"""Progress towards an agreement's target, laid out for a server-drawn SVG bar chart: the baseline and each
period's figure as bars, the target as a dashed line (pure: no database, no Flask)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 640, 260, 56, 20, 210
GAP = 12


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, figure and place."""

    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    baseline: bool


@dataclass(frozen=True, slots=True)
class ProgressChart:
    """The chart's bars, the target line's height and the scale."""

    bars: tuple[Bar, ...]
    target: int
    target_y: int
    top_value: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = BOTTOM


def lay_out(baseline: int, target: int, figures: list[tuple[str, int]]) -> ProgressChart:
    """The chart of the baseline, then each period's figure in order, against the target."""
    values = [("Baseline", baseline), *figures]
    top_value = max(1, target, *(v for _, v in values))
    span = BOTTOM - TOP

    def y_of(value: int) -> int:
        return BOTTOM - span * max(0, value) // top_value

    slot = (WIDTH - LEFT - 10) // max(len(values), 4)
    bars = tuple(
        Bar(label, value, LEFT + n * slot + GAP // 2, y_of(value), slot - GAP, BOTTOM - y_of(value), n == 0)
        for n, (label, value) in enumerate(values)
    )
    return ProgressChart(bars, target, y_of(target), top_value)
