"""Gift Aid in the books: a claim raised on HMRC, and HMRC's payment of it.

Gift Aid is a quarter of each eligible gift (the basic rate of income tax on the grossed-up gift: 20/80), and
under the Charities SORP it follows the gift: Gift Aid on a gift to a restricted fund is restricted to that
fund. So a claim is split by fund and each fund's legs balance on their own. The book is kept on a cash basis:
the claim is a receivable against income not yet received, recognised as the fund's Gift Aid income when HMRC
pays into the bank (as a levy charge or a community dividend is).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from pledgebank.ledger.allocation import allocate
from pledgebank.ledger.chart import BANK, DEFERRED_INCOME, RECEIVABLES, gift_aid_income, held_in
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.kinds import GIFT_AID_CLAIMED, GIFT_AID_RECEIVED
from pledgebank.ledger.legs import Leg, SourceRefs, build_entry, make_memo, positive
from pledgebank.ledger.money import Money

# Gift Aid is 25p for every £1 given: the tax at the basic rate (20%) on the gift grossed up (gift / 0.8).
RATE_NUMERATOR, RATE_DENOMINATOR = 1, 4


def gift_aid_on(gifts: Mapping[str, Money]) -> dict[str, Money]:
    """Split the Gift Aid on a claim's gifts by fund: a quarter of their total, rounded down to the penny
    as HMRC does, shared between the funds in proportion to their gifts (largest remainder).

    Raises InvalidEntry for no gifts, a gift that is not positive, or gifts in more than one currency.
    """
    if not gifts:
        raise InvalidEntry("a Gift Aid claim needs at least one gift")
    currencies = {positive(amount, f"gifts to {fund}").currency for fund, amount in gifts.items()}
    if len(currencies) != 1:
        raise InvalidEntry("a Gift Aid claim's gifts must all be in one currency")
    currency = currencies.pop()
    total = sum(amount.amount for amount in gifts.values())
    claimed = total * RATE_NUMERATOR // RATE_DENOMINATOR
    parts = allocate(claimed, {fund: amount.amount for fund, amount in gifts.items()})
    return {fund: Money(part, currency) for fund, part in parts.items()}


def gift_aid_claimed(
    *,
    by_fund: Mapping[str, Money],
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a Gift Aid claim made to HMRC: per fund, Dr receivables, Cr deferred income."""
    legs: list[Leg] = []
    for fund, amount in sorted(by_fund.items()):
        amount = positive(amount, f"Gift Aid for {fund}")
        legs += [(held_in(RECEIVABLES, fund), amount), (held_in(DEFERRED_INCOME, fund), -amount)]
    if not legs:
        raise InvalidEntry("a Gift Aid claim needs at least one fund")
    memo = make_memo(GIFT_AID_CLAIMED, funds=str(len(by_fund)))
    return build_entry(GIFT_AID_CLAIMED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def gift_aid_received(
    *,
    by_fund: Mapping[str, Money],
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record HMRC's payment of a claim into the bank: per fund, the receivable settled into its share of
    the bank and the deferred income recognised as its Gift Aid income."""
    legs: list[Leg] = []
    for fund, amount in sorted(by_fund.items()):
        amount = positive(amount, f"Gift Aid for {fund}")
        legs += [
            (held_in(BANK, fund), amount),
            (held_in(RECEIVABLES, fund), -amount),
            (held_in(DEFERRED_INCOME, fund), amount),
            (gift_aid_income(fund), -amount),
        ]
    if not legs:
        raise InvalidEntry("a Gift Aid payment needs at least one fund")
    memo = make_memo(GIFT_AID_RECEIVED, funds=str(len(by_fund)), into=BANK)
    return build_entry(GIFT_AID_RECEIVED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)
