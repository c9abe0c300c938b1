"""The treasurer's everyday entries: donations, supplier payments, bank charges, interest, opening balances.

Each leg sits in one fund's accounts, so a fund's legs balance on their own. Memos carry only codes (kinds,
fund slugs, categories, places); who gave or was paid, and what for, is kept beside the transaction, never in
the sealed chain. Cash banked is `transfers.cash_banked`; a correction is `rules.reversal`.
"""

from __future__ import annotations

import datetime

from pledgebank.ledger.chart import (
    BANK,
    BANK_CHARGES,
    CASH,
    expense_account,
    fund_balance,
    held_in,
    income_account,
    interest_income,
    validate_category_slug,
)
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import InvalidAmount, InvalidEntry
from pledgebank.ledger.kinds import BANK_CHARGES as BANK_CHARGES_KIND
from pledgebank.ledger.kinds import (
    BANK_INTEREST,
    DONATION_RECEIVED,
    OPENING_BALANCE,
    SUPPLIER_PAID,
)
from pledgebank.ledger.legs import SourceRefs, build_entry, make_memo, one_of, positive
from pledgebank.ledger.money import Money

PLACES: tuple[str, ...] = (BANK, CASH)


def donation_received(
    *,
    amount: Money,
    fund: str,
    into: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a donation in cash or into the bank: Dr cash or bank, Cr the fund's donations income."""
    amount = positive(amount)
    into = one_of(into, PLACES, "into")
    legs = [(held_in(into, fund), amount), (income_account(fund, "donations"), -amount)]
    memo = make_memo(DONATION_RECEIVED, fund=fund, into=into)
    return build_entry(DONATION_RECEIVED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def supplier_paid(
    *,
    amount: Money,
    fund: str,
    category: str,
    from_account: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record paying a supplier: Dr the fund's expense for the category, Cr its bank or cash share.

    Any valid category slug will do here; which categories a neighbourhood offers is its books' business.
    Raises InvalidEntry for a category that is not a valid slug or names a fixed expense account.
    """
    amount = positive(amount)
    try:
        category = validate_category_slug(category)
    except ValueError as error:
        raise InvalidEntry(f"category: {error}") from None
    from_account = one_of(from_account, PLACES, "from_account")
    legs = [(expense_account(fund, category), amount), (held_in(from_account, fund), -amount)]
    memo = make_memo(SUPPLIER_PAID, fund=fund, category=category, source_account=from_account)
    return build_entry(SUPPLIER_PAID, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def bank_charges(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record charges the bank took: Dr the fund's bank charges expense, Cr its bank share."""
    amount = positive(amount)
    legs = [(expense_account(fund, BANK_CHARGES), amount), (held_in(BANK, fund), -amount)]
    memo = make_memo(BANK_CHARGES_KIND, fund=fund)
    return build_entry(BANK_CHARGES_KIND, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def bank_interest(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record interest the bank paid: Dr the fund's bank share, Cr its interest income."""
    amount = positive(amount)
    legs = [(held_in(BANK, fund), amount), (interest_income(fund), -amount)]
    memo = make_memo(BANK_INTEREST, fund=fund)
    return build_entry(BANK_INTEREST, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def opening_balance(
    *,
    bank: Money,
    cash: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record what a fund held when its books started: Dr bank and cash shares, Cr the fund balance.

    Either of bank and cash may be zero (its leg is left out), not both; neither may be negative.
    """
    for what, value in (("bank", bank), ("cash", cash)):
        if not isinstance(value, Money) or value.is_negative():
            raise InvalidAmount(f"{what} must be Money, not negative")
    total = positive(bank + cash, "opening balance")
    if bank.currency != cash.currency:
        raise InvalidEntry("bank and cash must be in the book's currency")
    legs = [(held_in(BANK, fund), bank), (held_in(CASH, fund), cash), (fund_balance(fund), -total)]
    memo = make_memo(OPENING_BALANCE, fund=fund)
    return build_entry(OPENING_BALANCE, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)
