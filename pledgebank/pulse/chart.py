"""The trend of the headline measures across rounds, laid out for a server-drawn SVG: a line per measure with
a point per round where its share is shown (a withheld round leaves a gap)."""

from __future__ import annotations

from dataclasses import dataclass

from pledgebank.pulse.questions import CORE
from pledgebank.pulse.results import TrendRow

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840", "#f47738", "#5694ca")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")


@dataclass(frozen=True, slots=True)
class Line:
    """One measure's polyline segments and points (x, y, percent)."""

    name: str
    colour: str
    dash: str
    segments: list[str]
    points: list[tuple[float, float, int]]


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything the template draws: lines, round labels along the bottom, and the percentage grid."""

    width: int
    height: int
    lines: list[Line]
    labels: list[tuple[float, str]]
    grid: list[tuple[float, int]]


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count == 1 else span * index / (count - 1))


def _y(percent: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - percent / 100)


def lay_out(rows: list[TrendRow]) -> Chart:
    """The chart of the core measures over the rounds."""
    count = len(rows)
    lines = []
    for n, question in enumerate(CORE):
        segments: list[str] = []
        points: list[tuple[float, float, int]] = []
        run: list[str] = []
        for i, row in enumerate(rows):
            share = row.shares.get(question.key)
            if share is None:
                if len(run) > 1:
                    segments.append(" ".join(run))
                run = []
                continue
            x, y = round(_x(i, count), 1), round(_y(share.percent), 1)
            points.append((x, y, share.percent))
            run.append(f"{x},{y}")
        if len(run) > 1:
            segments.append(" ".join(run))
        lines.append(Line(question.measure, COLOURS[n], DASHES[n], segments, points))
    labels = [(round(_x(i, count), 1), row.round.title) for i, row in enumerate(rows)]
    grid = [(round(_y(p), 1), p) for p in (0, 25, 50, 75, 100)]
    return Chart(WIDTH, HEIGHT, lines, labels, grid)
