"""Each fund's money, read from the ledger: received, committed to awards, paid out, available; and the lock
that makes "an award never exceeds the fund's available money" hold under concurrency.

A fund's money is its income minus its expenses (grants count as spent when awarded), plus what earlier years
closed into its fund balance; the figures shown are over the fund's whole life, whatever years were closed.
Only money a grant round may spend is available: an endowment's and a restricted fund's (unless it was given
for grants) are held for their purpose and count as available for nothing. Every award takes the fund's row
lock (see lock_fund) before reading the fund's account balances, which the ledger maintains in
ledger_accounts.balance, so awards against one fund take turns and each sees the balances every earlier award
left. The balances are read again after posting, under the book's chain-head lock that posting holds until
commit, so no writer that skipped the fund lock can have slipped in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import LedgerAccount
from pledgebank.books.queries import closing_amounts
from pledgebank.books.services import InsufficientFunds
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.grants.states import COMMITTED
from pledgebank.ledger.chart import AccountType
from pledgebank.neighbourhoods.models import Fund


@dataclass(frozen=True, slots=True)
class FundMoney:
    """One fund's money in minor units; received = available + held + committed + paid out + fees."""

    slug: str
    name: str
    received: int
    committed: int
    paid_out: int
    fees: int
    available: int
    fund_type: str = "unrestricted"
    held: int = 0  # kept for the fund's purpose, which grants may not spend


@dataclass(frozen=True, slots=True)
class _Ledger:
    income: int
    grants: int
    fees: int

    @property
    def available(self) -> int:
        """Income less grants awarded and fees."""
        return self.income - self.grants - self.fees


def lock_fund(session: Session, fund_id: int) -> None:
    """Take the fund's row lock until the end of the transaction: whatever spends its money takes turns.

    The one lock order, on every path that spends or pays out a fund's money (grant awards and payments,
    supplier payments, transfers between funds): first the row the path itself decides on (the entry or
    transfer being approved), then the fund (here), then the grant round and the application, and last the
    book's chain head, which `post` takes. Nothing takes a fund's lock after the chain head.

    FOR NO KEY UPDATE on PostgreSQL, never FOR UPDATE: a foreign-key check on the fund (a row naming it is
    inserted, or updated twice in one transaction, as an approved payment is) takes a KEY SHARE lock on it,
    and may do so while holding the chain head. FOR UPDATE would make that check wait for a writer that is
    itself waiting for the chain head: a deadlock. SQLite serialises writers and ignores the clause.
    """
    session.execute(select(Fund.id).where(Fund.id == fund_id).with_for_update(key_share=True))


def _ledger(session: Session, fund_ids: list[int]) -> dict[int, _Ledger]:
    rows = session.execute(
        select(
            LedgerAccount.id,
            LedgerAccount.fund_id,
            LedgerAccount.type,
            LedgerAccount.code,
            LedgerAccount.balance,
        )
        # A fund's shares of the assets and liabilities mirror its result; only the result is its money.
        .where(LedgerAccount.fund_id.in_(fund_ids), LedgerAccount.type.in_(("income", "expense", "equity")))
    ).all()
    # Year-end closes move income and expenses into the fund balance; add them back for lifetime figures.
    closed = closing_amounts(session, [row.id for row in rows])
    sums: dict[int, dict[str, int]] = {fund_id: {"income": 0, "grants": 0, "fees": 0} for fund_id in fund_ids}
    for account_id, fund_id, account_type, code, balance in rows:
        if fund_id is None:  # chosen by fund above
            continue
        value = int(balance or 0) - closed.get(account_id, 0)
        if account_type in (AccountType.INCOME, AccountType.EQUITY):
            sums[fund_id]["income"] -= value  # credit-normal: a balance brought in counts as received
        elif code.endswith(":grants"):
            sums[fund_id]["grants"] += value
        else:
            sums[fund_id]["fees"] += value
    return {fund_id: _Ledger(**values) for fund_id, values in sums.items()}


def available(session: Session, fund_id: int) -> int:
    """What grant rounds may still award from the fund (read fresh from the database).

    The fund's money, or nothing for a fund whose terms do not allow grants.
    """
    fund = session.get(Fund, fund_id)
    if fund is None or not fund.can_fund_grants:
        return 0
    return _ledger(session, [fund_id])[fund_id].available


def money_of(session: Session, fund_id: int) -> int:
    """The fund's own money, whatever its type: what it received and was given less what it spent or awarded.

    Unlike `available`, a restricted fund's or an endowment's money counts too (a transfer out of a restricted
    fund whose purpose is met moves it). Read fresh from the database.
    """
    return _ledger(session, [fund_id])[fund_id].available


def check_not_overdrawn(session: Session, fund: Fund) -> None:
    """Raise InsufficientFunds if the fund's expenses exceed its money (rolls the unit of work back)."""
    if _ledger(session, [fund.id])[fund.id].available < 0:
        raise InsufficientFunds(f"{fund.name} does not have that much money available.")


def committed_by_fund(session: Session, fund_ids: list[int]) -> dict[int, int]:
    """Awards made and not yet paid, per fund."""
    rows = session.execute(
        select(GrantRound.fund_id, func.sum(GrantApplication.awarded_amount))
        .join(GrantRound, GrantRound.id == GrantApplication.round_id)
        .where(GrantRound.fund_id.in_(fund_ids), GrantApplication.status.in_([s.value for s in COMMITTED]))
        .group_by(GrantRound.fund_id)
    ).all()
    return {fund_id: int(total or 0) for fund_id, total in rows}


def fund_money(session: Session, neighbourhood_id: int) -> list[FundMoney]:
    """Every fund of the neighbourhood with its money, general fund first."""
    funds = list(
        session.scalars(
            select(Fund)
            .where(Fund.neighbourhood_id == neighbourhood_id)
            .order_by(Fund.is_general.desc(), Fund.name)
        )
    )
    ids = [fund.id for fund in funds]
    ledger = _ledger(session, ids)
    committed = committed_by_fund(session, ids)
    result = []
    for fund in funds:
        books, owed = ledger[fund.id], committed.get(fund.id, 0)
        spendable = fund.can_fund_grants
        result.append(
            FundMoney(
                slug=fund.slug,
                name=fund.name,
                received=books.income,
                committed=owed,
                paid_out=books.grants - owed,  # awards less those unpaid, less unspent money returned
                fees=books.fees,
                available=books.available if spendable else 0,
                fund_type=fund.fund_type,
                held=0 if spendable else books.available,
            )
        )
    return result
