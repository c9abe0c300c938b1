"""Moving what was posted before money was attributed to funds into the funds' own shares.

Before money was attributed to funds, bank, cash, Stripe clearing, receivables and the liabilities were
posted to the book-level accounts (`assets:bank`). Every such posting belongs to a fund, decided per
transaction in this order:

1. by its legs: the fund whose own accounts the transaction also moves (a donation's income, a grant's
   expense); its book-level legs are what make that fund's legs balance;
2. by source: the fund its source records name (the pledge's, the levy's, the grant round's fund);
3. by shares: money moved from one place to another (a payout, cash banked) belongs to the funds whose
   money sat in the place it left, in proportion to what each held there;
4. otherwise to the general fund, by default.

One `legacy_attributed` entry then moves each book-level balance into the funds' shares, appended to the
chain like any other: nothing already posted changes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pledgebank.ledger.allocation import allocate
from pledgebank.ledger.chart import FUND_HELD, fund_of, held_in, normal_sign, place_of, type_of
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.kinds import LEGACY_ATTRIBUTED
from pledgebank.ledger.legs import build_entry, make_memo
from pledgebank.ledger.money import Money

BY_LEGS, BY_SOURCE, BY_SHARES, BY_DEFAULT = "legs", "source", "shares", "general"
Share = tuple[str, str]  # (book-level place, fund slug)
_Leg = list[Any]  # [book-level place, amount still to attribute], worked down in place


@dataclass(frozen=True, slots=True)
class Attribution:
    """Which fund each book-level leg of one transaction belongs to, and how that was decided."""

    shares: dict[Share, int]
    how: str


def attribute(
    legs: Sequence[tuple[str, int]], *, named: str | None, held: Mapping[Share, int], general: str
) -> Attribution:
    """Attribute a transaction's book-level legs (code, signed amount) to funds.

    `named` is the fund its source records name, `held` what each fund held in each place just before it
    (debits positive), `general` the general fund's slug. The attributed amounts of each place sum to that
    place's book-level legs, and each fund's attributed amounts cancel its own legs, so each fund balances.
    """
    book = [[code, amount] for code, amount in legs if code in FUND_HELD]
    need: dict[str, int] = defaultdict(int)
    same: dict[Share, int] = defaultdict(int)
    for code, amount in legs:
        fund = fund_of(code)
        if fund is None:
            continue
        need[fund] -= amount
        place = place_of(code)
        if place is not None and place != code:
            same[(place, fund)] -= amount
    if any(need.values()):
        return Attribution(_by_legs(book, need, same, named), BY_LEGS)
    if named is not None:
        return Attribution(_all_to(book, named), BY_SOURCE)
    moved = _by_shares(book, held, general)
    if moved is not None:
        return Attribution(moved, BY_SHARES)
    return Attribution(_all_to(book, general), BY_DEFAULT)


def _take(leg: _Leg, shares: dict[Share, int], fund: str, *limits: int) -> int:
    """Attribute to `fund` as much of the leg as every limit of the same sign allows; return it."""
    amount: int = leg[1]
    if not amount or any(limit * amount <= 0 for limit in limits):
        return 0
    taken = min(abs(amount), *(abs(limit) for limit in limits)) * (1 if amount > 0 else -1)
    leg[1] -= taken
    shares[(leg[0], fund)] = shares.get((leg[0], fund), 0) + taken
    return taken


def _by_legs(
    book: list[_Leg], need: dict[str, int], same: dict[Share, int], named: str | None
) -> dict[Share, int]:
    shares: dict[Share, int] = {}
    funds = sorted(need)
    main = named if named is not None else max(funds, key=lambda fund: (abs(need[fund]), fund))
    for leg in book:  # a leg first pairs with the same fund's share of the same place
        for fund in funds:
            taken = _take(leg, shares, fund, same[(leg[0], fund)], need[fund])
            same[(leg[0], fund)] -= taken
            need[fund] -= taken
    for leg in book:
        for fund in funds:
            need[fund] -= _take(leg, shares, fund, need[fund])
    # Left over, either legs that net to nothing (money moved between places within the fund moving most), or
    # needs that net to nothing (money moved between funds within one place): neither changes a place's total.
    for leg in book:
        _take(leg, shares, main, leg[1])
    for fund in funds:
        if need[fund]:
            shares[(book[0][0], fund)] = shares.get((book[0][0], fund), 0) + need[fund]
    return {share: amount for share, amount in shares.items() if amount}


def _all_to(book: list[_Leg], fund: str) -> dict[Share, int]:
    shares: dict[Share, int] = {}
    for code, amount in book:
        shares[(code, fund)] = shares.get((code, fund), 0) + amount
    return {share: amount for share, amount in shares.items() if amount}


def _by_shares(book: list[_Leg], held: Mapping[Share, int], general: str) -> dict[Share, int] | None:
    """A move from one place to another, split by what each fund held in the place it left; else None."""
    if len(book) != 2 or book[0][0] == book[1][0]:
        return None
    leaving = [leg for leg in book if leg[1] * normal_sign(type_of(leg[0])) < 0]
    if len(leaving) != 1:
        return None
    (source, amount), (other,) = leaving[0], [leg[0] for leg in book if leg is not leaving[0]]
    sign = normal_sign(type_of(source))
    weights = {
        fund: held[(place, fund)] * sign
        for place, fund in sorted(held)
        if place == source and held[(place, fund)] * sign > 0
    }
    total = sum(weights.values())
    if total <= 0:
        return None
    parts = weights if total <= abs(amount) else allocate(abs(amount), weights)
    parts = dict(parts)
    parts[general] = parts.get(general, 0) + abs(amount) - sum(parts.values())
    direction = 1 if amount > 0 else -1
    shares: dict[Share, int] = {}
    for fund, part in parts.items():
        if part:
            shares[(source, fund)] = direction * part
            shares[(other, fund)] = -direction * part
    return shares


def legacy_attributed(
    *,
    moves: Mapping[Share, Money],
    through: int,
    defaulted: int,
    on: datetime.date,
    actor_id: int | None = None,
) -> JournalEntry:
    """Move book-level balances into fund shares: per (place, fund), Cr the place, Dr the fund's share.

    `through` is the last sequence the moves account for (it keys the entry, so a repeat posts nothing);
    `defaulted` how many transactions named no fund and went to the general fund, which the memo says.
    """
    legs: list[tuple[str, Money]] = []
    for place in FUND_HELD:
        mine = sorted((fund, amount) for (where, fund), amount in moves.items() if where == place)
        if not mine:
            continue
        total = sum((amount for _fund, amount in mine), Money.zero(mine[0][1].currency))
        legs.append((place, -total))
        legs += [(held_in(place, fund), amount) for fund, amount in mine]
    memo = make_memo(LEGACY_ATTRIBUTED, through=str(through), **{"general-by-default": str(defaulted)})
    return build_entry(
        LEGACY_ATTRIBUTED,
        legs,
        key=f"legacy-attribution:{through}",
        on=on,
        source={"through_sequence": through},
        actor_id=actor_id,
        memo=memo,
    )
