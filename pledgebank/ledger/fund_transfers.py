"""Money moving from one fund to another: designating, undesignating, and restricted money set free.

The money stays where it is (the bank, or the cash box); what changes is whose it is. The source fund's
share of the place is credited and its fund balance debited; the receiving fund's share is debited and its
fund balance credited. So each fund's legs balance on their own, and the receipts-and-payments account shows
the movement on its "transfers between funds" line, never as a receipt or a payment.
"""

from __future__ import annotations

import datetime

from pledgebank.ledger.chart import BANK, CASH, fund_balance, held_in, validate_fund_slug
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.kinds import FUND_TRANSFER
from pledgebank.ledger.legs import SourceRefs, build_entry, make_memo, one_of, positive
from pledgebank.ledger.money import Money

PLACES: tuple[str, ...] = (BANK, CASH)


def fund_transfer_key(transfer_id: int) -> str:
    """Return the idempotency key of an approved fund transfer."""
    return f"fund-transfer:{transfer_id}"


def fund_transfer(
    *,
    amount: Money,
    from_fund: str,
    to_fund: str,
    place: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Move `amount` held at `place` (bank or cash) from one fund to another.

    Cr <place>:<from>, Dr equity:<from>:balance; Dr <place>:<to>, Cr equity:<to>:balance. Raises
    InvalidEntry when both funds are the same or the place is not bank or cash, InvalidAmount unless the
    amount is positive.
    """
    amount = positive(amount)
    place = one_of(place, PLACES, "place")
    if validate_fund_slug(from_fund) == validate_fund_slug(to_fund):
        raise InvalidEntry("a transfer moves money between two different funds")
    legs = [
        (held_in(place, from_fund), -amount),
        (fund_balance(from_fund), amount),
        (held_in(place, to_fund), amount),
        (fund_balance(to_fund), -amount),
    ]
    memo = make_memo(FUND_TRANSFER, **{"from": from_fund, "to": to_fund, "place": place})
    return build_entry(FUND_TRANSFER, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)
