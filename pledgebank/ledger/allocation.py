"""Exact proportional splitting of integer amounts (largest-remainder method)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Protocol, TypeVar

from pledgebank.ledger.errors import InvalidAmount
from pledgebank.ledger.money import Money


class _SortableKey(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_SortableKey)


def allocate(total: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Split `total` in proportion to non-negative integer `weights`; the parts always sum to `total`.

    Each part is the floor of its exact share, and the leftover units go one each to the keys with
    the largest remainder, then the largest weight, then the smallest key. Keys must therefore be
    mutually sortable, and the result does not depend on the mapping's order; it is returned in
    ascending key order. A negative total is split as its absolute value and negated. Raises
    InvalidAmount for non-int values, a negative weight, or weights summing to zero.
    """
    if type(total) is not int:
        raise InvalidAmount("total must be an int")
    for key, weight in weights.items():
        if type(weight) is not int:
            raise InvalidAmount(f"weight for {key!r} must be an int")
        if weight < 0:
            raise InvalidAmount(f"weight for {key!r} is negative")
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise InvalidAmount("weights must sum to more than zero")
    if total < 0:
        return {key: -part for key, part in allocate(-total, weights).items()}

    parts: dict[K, int] = {}
    remainders: dict[K, int] = {}
    for key, weight in weights.items():
        parts[key], remainders[key] = divmod(total * weight, weight_sum)
    leftover = total - sum(parts.values())
    ranked = sorted(weights, key=lambda k: (-remainders[k], -weights[k], k))
    for key in ranked[:leftover]:
        parts[key] += 1
    return {key: parts[key] for key in sorted(weights)}


def allocate_money(total: Money, weights: Mapping[K, int]) -> dict[K, Money]:
    """Split a Money total by integer weights; see `allocate` for the rounding rule."""
    return {key: Money(part, total.currency) for key, part in allocate(total.amount, weights).items()}
