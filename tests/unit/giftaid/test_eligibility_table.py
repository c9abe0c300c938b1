"""Gift Aid eligibility as a table written out by hand: each row a gift, the donor's declarations, and the
verdict, following the rules in `pledgebank.giftaid.eligibility`'s docstring."""

from __future__ import annotations

from datetime import date

import pytest

from pledgebank.giftaid.eligibility import (
    Cover,
    Gift,
    GiftKind,
    Reason,
    Scope,
    benefit_limit,
    decide,
)

D = date
DONOR, OTHER = 7, 8
FROM_TODAY = Cover(DONOR, Scope.FROM_TODAY, D(2026, 6, 1))
PAST_FOUR = Cover(DONOR, Scope.PAST_FOUR_YEARS, D(2026, 6, 1))
THIS_GIFT = Cover(DONOR, Scope.THIS_GIFT, D(2026, 6, 1), gift_ref="pledge-signup:1")
CANCELLED = Cover(DONOR, Scope.FROM_TODAY, D(2026, 6, 1), cancelled_on=D(2026, 9, 1))
JULY = D(2026, 7, 1)
LEAP = Cover(DONOR, Scope.PAST_FOUR_YEARS, D(2028, 2, 29))


def gift(kind=GiftKind.PLEDGE_CARD, *, on=JULY, amount=10_00, benefit=0, ref="pledge-signup:1", **more):
    return Gift(
        ref=ref,
        kind=kind,
        donor_id=more.pop("donor_id", DONOR),
        amount=amount,
        on=on,
        benefit=benefit,
        **more,
    )


TABLE = [
    # what, the gift, the donor's declarations, the verdict
    ("card pledge, all gifts from today", gift(), [FROM_TODAY], Reason.ELIGIBLE),
    ("cash collected by the treasurer, covered", gift(GiftKind.PLEDGE_CASH), [FROM_TODAY], Reason.ELIGIBLE),
    (
        "cash collected by the treasurer, no declaration",
        gift(GiftKind.PLEDGE_CASH),
        [],
        Reason.NO_DECLARATION,
    ),
    ("donation, covered", gift(GiftKind.DONATION), [FROM_TODAY], Reason.ELIGIBLE),
    ("a levy is not a gift", gift(GiftKind.LEVY), [FROM_TODAY], Reason.NOT_A_GIFT),
    ("a sponsor's match is not a gift", gift(GiftKind.MATCH, donor_id=None), [FROM_TODAY], Reason.NOT_A_GIFT),
    ("a business, not an individual", gift(individual=False), [FROM_TODAY], Reason.NOT_AN_INDIVIDUAL),
    ("no donor known", gift(donor_id=None), [FROM_TODAY], Reason.NOT_AN_INDIVIDUAL),
    ("someone else's money", gift(own_money=False), [FROM_TODAY], Reason.NOT_OWN_MONEY),
    ("no declaration", gift(), [], Reason.NO_DECLARATION),
    (
        "another donor's declaration",
        gift(),
        [Cover(OTHER, Scope.FROM_TODAY, D(2026, 1, 1))],
        Reason.NO_DECLARATION,
    ),
    ("from today: a gift the day before", gift(on=D(2026, 5, 31)), [FROM_TODAY], Reason.NO_DECLARATION),
    ("from today: a gift on the day", gift(on=D(2026, 6, 1)), [FROM_TODAY], Reason.ELIGIBLE),
    (
        "past four years: a gift 4 years before to the day",
        gift(on=D(2022, 6, 1)),
        [PAST_FOUR],
        Reason.ELIGIBLE,
    ),
    ("past four years: a day more than 4 years", gift(on=D(2022, 5, 31)), [PAST_FOUR], Reason.NO_DECLARATION),
    ("past four years: a gift later", gift(on=D(2030, 1, 1)), [PAST_FOUR], Reason.ELIGIBLE),
    ("past four years from 29 February: 29 February", gift(on=D(2024, 2, 29)), [LEAP], Reason.ELIGIBLE),
    (
        "past four years from 29 February: the day before",
        gift(on=D(2024, 2, 28)),
        [LEAP],
        Reason.NO_DECLARATION,
    ),
    ("this gift: the gift", gift(), [THIS_GIFT], Reason.ELIGIBLE),
    ("this gift: another gift", gift(ref="pledge-signup:2"), [THIS_GIFT], Reason.NO_DECLARATION),
    ("cancelled: a gift before", gift(on=D(2026, 8, 31)), [CANCELLED], Reason.ELIGIBLE),
    ("cancelled: a gift on the day", gift(on=D(2026, 9, 1)), [CANCELLED], Reason.NO_DECLARATION),
    (
        "cancelled, then a new one",
        gift(on=D(2026, 10, 1)),
        [CANCELLED, Cover(DONOR, Scope.FROM_TODAY, D(2026, 10, 1))],
        Reason.ELIGIBLE,
    ),
    ("£10 gift, £2.50 benefit (25%)", gift(benefit=2_50), [FROM_TODAY], Reason.ELIGIBLE),
    ("£10 gift, £2.51 benefit", gift(benefit=2_51), [FROM_TODAY], Reason.BENEFIT_OVER_LIMIT),
    ("£500 gift, £25 benefit", gift(amount=500_00, benefit=25_00), [FROM_TODAY], Reason.ELIGIBLE),
    (
        "£500 gift, £25.01 benefit",
        gift(amount=500_00, benefit=25_01),
        [FROM_TODAY],
        Reason.BENEFIT_OVER_LIMIT,
    ),
    ("£2,000 gift, £100 benefit (5%)", gift(amount=2_000_00, benefit=100_00), [FROM_TODAY], Reason.ELIGIBLE),
    (
        "£2,000 gift, £100.01 benefit",
        gift(amount=2_000_00, benefit=100_01),
        [FROM_TODAY],
        Reason.BENEFIT_OVER_LIMIT,
    ),
    ("a benefit over the limit and no declaration", gift(benefit=5_00), [], Reason.BENEFIT_OVER_LIMIT),
]


@pytest.mark.parametrize(
    ("what", "the_gift", "declarations", "verdict"), TABLE, ids=[row[0] for row in TABLE]
)
def test_eligibility(what, the_gift, declarations, verdict):
    assert decide(the_gift, declarations) == verdict


@pytest.mark.parametrize(
    ("amount", "limit"),
    [
        (1_00, 25),
        (100_00, 25_00),
        (100_01, 25_00),
        (1_000_00, 25_00),
        (1_000_01, 50_00),
        (50_000_00, 2_500_00),
        (60_000_00, 2_500_00),
    ],
)
def test_hmrc_benefit_limits(amount, limit):
    assert benefit_limit(amount) == limit
