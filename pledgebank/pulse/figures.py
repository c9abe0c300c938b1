"""Pure arithmetic for the pulse: the Wilson score interval, the share agreeing and small-number suppression.

A figure or a breakdown is given only when at least MIN_RESPONSES people gave a view on that question; below
that, the function returns None and every page, export and chart shows that it is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from pledgebank.pulse.questions import AGREEING, DONT_KNOW, SCALE

MIN_RESPONSES = 5
Z_95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion: (low, high), each between 0 and 1.

    centre = (p + z²/2n) / (1 + z²/n); half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
    """
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError("need 0 <= successes <= trials and trials > 0")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Share:
    """The share agreeing with a statement among those who gave a view, with its 95% interval."""

    agreeing: int
    views: int
    answered: int
    low: float
    high: float
    counts: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float:
        """agreeing / views."""
        return self.agreeing / self.views

    @property
    def percent(self) -> int:
        """The share as a whole percentage."""
        return round(100 * self.share)


def share_agreeing(values: Iterable[int]) -> Share | None:
    """The share agreeing (agree or strongly agree) among those who gave a view; None under MIN_RESPONSES."""
    found = list(values)
    views = [v for v in found if v != DONT_KNOW]
    if len(views) < MIN_RESPONSES:
        return None
    agreeing = sum(1 for v in views if v in AGREEING)
    low, high = wilson(agreeing, len(views))
    counts = tuple((label, found.count(value)) for value, label in SCALE)
    return Share(agreeing, len(views), len(found), low, high, counts)
