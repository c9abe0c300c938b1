"""Which gifts Gift Aid may be claimed on: a pure decision, tested as a table written out by hand.

How we decide, following HMRC's guidance for charities (chapter 3, "Gift Aid"):

- Only a gift is eligible. A pledge paid by card, and a pledge's cash the treasurer collected on the donor's
  behalf, are gifts to the fund the pledge is for; so is a donation. A levy is a charge a household owes, not
  a gift; a sponsor's match funding comes from a business, not an individual: neither is ever eligible.
- The donor must be an individual giving their own money (not a collection, a business or someone else's
  money). Pledges are made by individual residents through their own accounts; the treasurer's cash counts
  only when it is the pledger's own pledge, recorded against them.
- The donor may receive no benefit beyond HMRC's limits, which depend on the gift: up to £100, 25% of the
  gift; from £100.01 to £1,000, £25; above £1,000, 5% of the gift, up to £2,500 in a tax year. A pledge whose
  thank-you (a ticket, a plaque, a share of what is built) is worth more than that is not eligible.
- The donor must have a Gift Aid declaration with the charity covering the gift's date: one for this gift
  only covers that gift; "all gifts from today" covers gifts on or after the day it was made; "the past four
  years and in future" covers gifts on or after the same day four years before it was made. A cancelled
  declaration covers gifts before the day it was cancelled, and none on or after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class GiftKind(StrEnum):
    """Where money came from."""

    PLEDGE_CARD = "pledge-card"  # a pledge paid by the donor's card
    PLEDGE_CASH = "pledge-cash"  # a pledge's cash, collected by the treasurer on the donor's behalf
    DONATION = "donation"  # a donation
    LEVY = "levy"  # a levy charge a household pays
    MATCH = "match"  # a sponsor's match funding for a pledge


class Scope(StrEnum):
    """What a declaration covers, in HMRC's model declarations."""

    THIS_GIFT = "this-gift"
    FROM_TODAY = "from-today"
    PAST_FOUR_YEARS = "past-four-years"


class Reason(StrEnum):
    """Why a gift is, or is not, eligible."""

    ELIGIBLE = "eligible"
    NOT_A_GIFT = "not-a-gift"
    NOT_AN_INDIVIDUAL = "not-an-individual"
    NOT_OWN_MONEY = "not-own-money"
    BENEFIT_OVER_LIMIT = "benefit-over-limit"
    NO_DECLARATION = "no-declaration"


# Gifts: money given, not charged, and not from a business.
GIFT_KINDS = frozenset({GiftKind.PLEDGE_CARD, GiftKind.PLEDGE_CASH, GiftKind.DONATION})
# HMRC's donor benefit limits, in pence.
_SMALL_GIFT, _MIDDLE_GIFT, _MIDDLE_LIMIT, _YEAR_LIMIT = 100_00, 1_000_00, 25_00, 2_500_00


@dataclass(frozen=True, slots=True)
class Gift:
    """One gift as eligibility sees it: amounts in minor units, `ref` naming it (`pledge-signup:12`)."""

    ref: str
    kind: GiftKind
    donor_id: int | None
    amount: int
    on: date
    benefit: int = 0
    individual: bool = True
    own_money: bool = True


@dataclass(frozen=True, slots=True)
class Cover:
    """A donor's declaration as eligibility sees it: its scope, day, cancellation and (for one gift) gift."""

    donor_id: int
    scope: Scope
    made_on: date
    cancelled_on: date | None = None
    gift_ref: str | None = None


def benefit_limit(amount: int) -> int:
    """The most a donor may receive in return for a gift of `amount` (minor units) under HMRC's limits."""
    if amount <= _SMALL_GIFT:
        return amount // 4
    if amount <= _MIDDLE_GIFT:
        return _MIDDLE_LIMIT
    return min(amount // 20, _YEAR_LIMIT)


def four_years_before(day: date) -> date:
    """The same day four years earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 4)
    except ValueError:
        return date(day.year - 4, 2, 28)


def covers(cover: Cover, gift: Gift) -> bool:
    """Whether one declaration covers one gift (same donor, in scope, not cancelled before the gift)."""
    if cover.donor_id != gift.donor_id:
        return False
    if cover.cancelled_on is not None and gift.on >= cover.cancelled_on:
        return False
    if cover.scope == Scope.THIS_GIFT:
        return cover.gift_ref == gift.ref
    if cover.scope == Scope.FROM_TODAY:
        return gift.on >= cover.made_on
    return gift.on >= four_years_before(cover.made_on)


def decide(gift: Gift, covers_held: Iterable[Cover]) -> Reason:
    """Whether Gift Aid may be claimed on a gift, given the donor's declarations; the first reason it may
    not, in the order of the module's rules."""
    if gift.kind not in GIFT_KINDS:
        return Reason.NOT_A_GIFT
    if not gift.individual or gift.donor_id is None:
        return Reason.NOT_AN_INDIVIDUAL
    if not gift.own_money:
        return Reason.NOT_OWN_MONEY
    if gift.benefit > benefit_limit(gift.amount):
        return Reason.BENEFIT_OVER_LIMIT
    if not any(covers(cover, gift) for cover in covers_held):
        return Reason.NO_DECLARATION
    return Reason.ELIGIBLE
