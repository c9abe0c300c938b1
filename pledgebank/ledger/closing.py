"""The year-end close: each fund's income and expenses for the year move into that fund's balance.

After the close the year's income and expense accounts stand at zero and each fund's equity account holds
what the fund has built up, so the next year's accounts start from the funds' balances rather than from
income carried forward. The entry is one transaction for the whole book; each fund's legs balance on their
own, because the fund's equity leg is exactly the net of its income and expense legs.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from pledgebank.ledger.chart import fund_balance, fund_of, is_closed_at_year_end
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.kinds import YEAR_CLOSED
from pledgebank.ledger.legs import Leg, SourceRefs, build_entry, make_memo
from pledgebank.ledger.money import Money


def year_close_key(book_slug: str, through: datetime.date) -> str:
    """Return the idempotency key of the close of a book's year ending on `through`."""
    return f"year-close:{book_slug}:{through.isoformat()}"


def year_closed(
    *,
    balances: Mapping[str, Money],
    through: datetime.date,
    key: str,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry | None:
    """Close each fund's income and expense balances at `through` into the fund's balance account.

    `balances` maps income and expense account codes of funds to their signed balance at the end of
    `through` (debits positive). Each account gets the opposite amount; each fund's `equity:<fund>:balance`
    gets the net, dated `through`. Returns None when every balance is zero (there is nothing to close).
    Raises InvalidEntry for an account that a close does not touch (assets, liabilities, equity).
    """
    legs: list[Leg] = []
    net: dict[str, Money] = {}
    for code in sorted(balances):
        if not is_closed_at_year_end(code):
            raise InvalidEntry(f"a year-end close does not touch {code!r}")
        amount = balances[code]
        if not isinstance(amount, Money):
            raise InvalidEntry(f"the balance of {code} must be Money")
        if amount.is_zero():
            continue
        fund = fund_of(code)
        if fund is None:
            raise InvalidEntry(f"{code!r} belongs to no fund")
        legs.append((code, -amount))
        net[fund] = net[fund] + amount if fund in net else amount
    if not legs:
        return None
    legs.extend((fund_balance(fund), total) for fund, total in sorted(net.items()))
    memo = make_memo(YEAR_CLOSED, through=through.isoformat())
    return build_entry(YEAR_CLOSED, legs, key=key, on=through, source=source, actor_id=actor_id, memo=memo)
