"""Rules for cash handed over for a pledge that has not succeeded yet: held, then recognised or returned.

Cash for a threshold pledge is the pledger's money until the pledge succeeds, so it sits in a liability
(pledges held) rather than in the fund's income: a failed pledge gives it back without touching income.
"""

from __future__ import annotations

import datetime

from pledgebank.ledger.chart import BANK, CASH, PLEDGES_HELD, held_in, income_account
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.kinds import PLEDGE_CASH_HELD, PLEDGE_CASH_RECOGNISED, PLEDGE_CASH_RETURNED
from pledgebank.ledger.legs import SourceRefs, build_entry, make_memo, one_of, positive
from pledgebank.ledger.money import Money


def pledge_cash_held(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    into: str = CASH,
) -> JournalEntry:
    """Cash (or a bank transfer) for a pledge still open: Dr the fund's cash or bank, Cr its pledges held."""
    amount = positive(amount)
    into = one_of(into, (CASH, BANK), "into")
    legs = [(held_in(into, fund), amount), (held_in(PLEDGES_HELD, fund), -amount)]
    memo = make_memo(PLEDGE_CASH_HELD, into=into)
    return build_entry(PLEDGE_CASH_HELD, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def pledge_cash_recognised(
    *, amount: Money, fund: str, key: str, on: datetime.date, source: SourceRefs, actor_id: int | None = None
) -> JournalEntry:
    """The pledge succeeded: the held cash becomes the fund's pledge income."""
    amount = positive(amount)
    legs = [(held_in(PLEDGES_HELD, fund), amount), (income_account(fund, "pledges"), -amount)]
    memo = make_memo(PLEDGE_CASH_RECOGNISED, fund=fund)
    return build_entry(
        PLEDGE_CASH_RECOGNISED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo
    )


def pledge_cash_returned(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    from_account: str = CASH,
) -> JournalEntry:
    """The pledge failed or was cancelled: the fund's held cash goes back to the pledger."""
    amount = positive(amount)
    from_account = one_of(from_account, (CASH, BANK), "from_account")
    legs = [(held_in(PLEDGES_HELD, fund), amount), (held_in(from_account, fund), -amount)]
    memo = make_memo(PLEDGE_CASH_RETURNED, from_account=from_account)
    return build_entry(
        PLEDGE_CASH_RETURNED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo
    )
