"""A community dividend's payment terms as pure functions: their checks, and what an outcome earns.

Outcome figures are whole numbers in the agreement's unit (fires, reports, percentage points); money is in
minor units. Whether a figure is better than another depends on the outcome's direction: "down" for deliberate
fires, "up" for a share of residents who feel they have a say. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Any


class Direction(StrEnum):
    """Which way the outcome should move."""

    UP = "up"
    DOWN = "down"


class TermsKind(StrEnum):
    """How the payment follows the outcome."""

    FIXED = "fixed"  # the whole amount once the target is reached, else nothing
    TIERED = "tiered"  # the amount of the best tier reached
    PRO_RATA = "pro_rata"  # in proportion between a floor and the target, and on beyond it, up to the cap


class OutcomeSource(StrEnum):
    """Where the outcome's figures come from: reported by the neighbourhood (a survey's results later)."""

    FIGURES = "figures"
    PULSE = "pulse"


@dataclass(frozen=True, slots=True)
class Tier:
    """A tier: once the outcome reaches `reached`, the dividend is `amount`."""

    reached: int
    amount: int


@dataclass(frozen=True, slots=True)
class Terms:
    """What the payment depends on. `amount` is the fixed payment, or the pro-rata payment at the target."""

    kind: TermsKind
    direction: Direction
    baseline: int
    target: int
    cap: int
    amount: int = 0
    floor: int | None = None
    tiers: tuple[Tier, ...] = field(default_factory=tuple)


def gain(direction: Direction, start: int, value: int) -> int:
    """How far `value` is better than `start` (negative when worse)."""
    return value - start if direction == Direction.UP else start - value


def reaches(direction: Direction, value: int, mark: int) -> bool:
    """Whether `value` is at `mark` or better."""
    return gain(direction, mark, value) >= 0


def problems(terms: Terms) -> dict[str, list[str]]:
    """What is wrong with the terms, by form field (empty when they are sound)."""
    errors: dict[str, list[str]] = {}
    better = "above" if terms.direction == Direction.UP else "below"
    if gain(terms.direction, terms.baseline, terms.target) <= 0:
        errors["target"] = [
            f"For an outcome that should go {terms.direction}, the target must be {better} the baseline."
        ]
    if terms.cap <= 0:
        errors["cap"] = ["Give a cap above zero."]
    if terms.kind == TermsKind.TIERED:
        errors.update(_tier_problems(terms, better))
    elif terms.amount <= 0:
        errors["amount"] = ["Give the payment, above zero."]
    elif terms.cap < terms.amount and "cap" not in errors:
        what = "fixed payment" if terms.kind == TermsKind.FIXED else "payment at the target"
        errors["cap"] = [f"The cap cannot be below the {what}."]
    if terms.kind == TermsKind.PRO_RATA and "target" not in errors:
        floor = terms.floor
        if floor is None or gain(terms.direction, terms.baseline, floor) < 0:
            errors["floor"] = [f"Give a floor at the baseline or {better} it."]
        elif gain(terms.direction, floor, terms.target) <= 0:
            errors["floor"] = ["The floor must lie between the baseline and the target."]
    return errors


def _tier_problems(terms: Terms, better: str) -> dict[str, list[str]]:
    tiers = terms.tiers
    if not tiers:
        return {"tiers": ["Give at least one tier: an outcome and the payment once it is reached."]}
    if any(t.amount <= 0 for t in tiers):
        return {"tiers": ["Every tier's payment must be above zero."]}
    if any(gain(terms.direction, terms.baseline, t.reached) <= 0 for t in tiers):
        return {"tiers": [f"Every tier's outcome must be {better} the baseline."]}
    steps = list(pairwise(tiers))
    if any(gain(terms.direction, a.reached, b.reached) <= 0 or b.amount <= a.amount for a, b in steps):
        return {"tiers": ["Each tier must need a better outcome and pay more than the one before it."]}
    return {}


def payment(terms: Terms, value: int) -> int:
    """The dividend the terms give for an outcome of `value`, in minor units, never above the cap."""
    if terms.kind == TermsKind.FIXED:
        earned = terms.amount if reaches(terms.direction, value, terms.target) else 0
    elif terms.kind == TermsKind.TIERED:
        earned = max((t.amount for t in terms.tiers if reaches(terms.direction, value, t.reached)), default=0)
    else:
        floor = terms.baseline if terms.floor is None else terms.floor
        span = gain(terms.direction, floor, terms.target)
        done = gain(terms.direction, floor, value)
        earned = terms.amount * done // span if done > 0 and span > 0 else 0
    return max(0, min(earned, terms.cap))


def canonical(fields: dict[str, Any]) -> bytes:
    """The terms as signed: sorted keys, no spaces, UTF-8; equal terms give equal bytes."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def terms_hash(fields: dict[str, Any]) -> str:
    """The SHA-256 of the canonical terms, in hex: what each signature names."""
    return hashlib.sha256(canonical(fields)).hexdigest()
