"""Money in and out of the bank, the cash box and Stripe clearing, each movement classified by its purpose.

A receipt or payment is the cash legs of a transaction: postings on `assets:{bank,cash,stripe-clearing}` (a
fund's share or, for history, the book-level account). What it was for is read from the transaction's other
legs, so any account added later falls into a sensible line without code changes:

- `income:<fund>:<source>` is a receipt of that source (a refund reduces it);
- `expenses:<fund>:<category>` is a payment of that category (money given back reduces it);
- `liabilities:grants-payable` is a grant paid; `liabilities:pledges-held` is cash taken for a pledge still
  open (a receipt) or handed back (a payment); receivables and the income they defer cancel out;
- `equity:<fund>:balance` is money moved between funds when the funds' equity legs net to nothing, and
  otherwise money the group already had when its books started here (opening balances), which the account
  counts in the cash funds at the start of the year rather than as a receipt.

A transaction of cash legs only moves money from one place to another (a payout, cash banked) and is no
receipt or payment, unless it moves money from one fund to another, when it is a transfer between funds.

History posted to the book-level accounts (before money was attributed to funds) belongs to the funds
`ledger attribute-legacy` attributes it to, whether or not the move has been posted: a grant paid then is its
fund's payment, so each fund's cash at the end is what the move puts in its shares.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.legacy import attributed_shares
from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.ledger import chart
from pledgebank.ledger.kinds import LEGACY_ATTRIBUTED, YEAR_CLOSED
from pledgebank.neighbourhoods.models import Fund

CASH_PLACES = (chart.BANK, chart.CASH, chart.STRIPE_CLEARING)
RECEIPTS, PAYMENTS, TRANSFERS, OPENING = "receipts", "payments", "transfers", "opening"
HELD_IN, HELD_OUT = "pledges-held", "pledges-returned"
TRANSFER_KEY = "between-funds"
Leg = tuple[str, str, str | None, int]  # (account code, account type, fund slug or None, amount)


@dataclass(frozen=True, slots=True)
class Flow:
    """Part of one transaction's cash movement: which fund, which side and line, and how much (signed).

    `amount` is what the line shows: positive for money in on the receipts side and for money out on the
    payments side; for a transfer or an opening balance, positive into the fund.
    """

    on: date
    fund: str
    side: str
    key: str
    amount: int


def is_cash(code: str) -> bool:
    """True for the bank, the cash box and Stripe clearing, book-level or a fund's share."""
    return chart.place_of(code) in CASH_PLACES


def general_fund(session: Session, book: Book) -> str:
    """The slug of the book's general fund, which history posted before funds existed belongs to."""
    return session.execute(
        select(Fund.slug).where(Fund.neighbourhood_id == book.neighbourhood_id, Fund.is_general)
    ).scalar_one()


def line_of(code: str, kind: str, effect: int) -> tuple[str, str, int]:
    """The side, line key and line amount of a non-cash leg whose cash effect is `effect`."""
    place = chart.place_of(code)
    last = code.rsplit(":", 1)[-1]
    if kind == "income":
        return RECEIPTS, last, effect
    if kind == "expense":
        return PAYMENTS, last, -effect
    if kind == "equity":
        return TRANSFERS, TRANSFER_KEY, effect
    if place == chart.GRANTS_PAYABLE:
        return PAYMENTS, "grants", -effect
    if place == chart.PLEDGES_HELD:
        return (RECEIPTS, HELD_IN, effect) if effect > 0 else (PAYMENTS, HELD_OUT, -effect)
    if place in (chart.RECEIVABLES, chart.DEFERRED_INCOME):
        # A settled receivable credits receivables and debits deferred income by the same amount.
        return RECEIPTS, "receivables", effect
    return (RECEIPTS, "other", effect) if effect > 0 else (PAYMENTS, "other", -effect)


def fund_of_leg(code: str, fund: str | None, funds: frozenset[str], general: str) -> str:
    """The fund a leg belongs to: its account's, else the one its code names, else the general fund."""
    if fund is not None:
        return fund
    parts = code.split(":")
    if len(parts) == 3 and parts[0] in ("income", "expenses", "equity") and parts[1] in funds:
        return parts[1]
    return general


def classify(on: date, legs: list[Leg], funds: frozenset[str], general: str) -> Iterator[Flow]:
    """The flows of one transaction from its legs (code, account type, fund slug or None, amount)."""
    cash = [leg for leg in legs if is_cash(leg[0])]
    if not cash:
        return
    others = [leg for leg in legs if not is_cash(leg[0])]
    opening = all(kind == "equity" for _c, kind, _f, _a in others) and sum(leg[3] for leg in others) != 0
    totals: dict[tuple[str, str, str], int] = {}
    if others:
        for code, kind, fund, amount in others:
            side, key, value = (OPENING, OPENING, -amount) if opening else line_of(code, kind, -amount)
            slot = (fund_of_leg(code, fund, funds, general), side, key)
            totals[slot] = totals.get(slot, 0) + value
    else:
        for code, _kind, fund, amount in cash:
            slot = (fund_of_leg(code, fund, funds, general), TRANSFERS, TRANSFER_KEY)
            totals[slot] = totals.get(slot, 0) + amount
    for (fund, side, key), value in totals.items():
        if value:
            yield Flow(on, fund, side, key, value)


def with_funds(legs: list[Leg], shares: dict[tuple[str, str], int] | None) -> list[Leg]:
    """A transaction's legs with its book-level legs split into the funds' shares they are attributed to."""
    if not shares:
        return legs
    kinds = {code: kind for code, kind, _fund, _amount in legs}
    split = [(place, kinds[place], fund, amount) for (place, fund), amount in sorted(shares.items())]
    return [leg for leg in legs if leg[0] not in chart.FUND_HELD] + split


def _legacy_shares(session: Session, book: Book, conditions: list) -> dict[int, dict[tuple[str, str], int]]:
    """Per sequence, the fund shares of the book-level legs of the transactions read (none for most books)."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    last = session.scalar(
        select(func.max(t.sequence))
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .where(*conditions, p.book_id == book.id, a.book_id == book.id, a.code.in_(chart.FUND_HELD))
    )
    return {} if last is None else attributed_shares(session, book, upto=last)


def cash_flows(session: Session, book: Book, *, until: date, since: date | None = None) -> Iterator[Flow]:
    """Every receipt, payment and transfer between funds dated from `since` (or the start) through `until`."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    cash_ids = [
        account_id
        for account_id, code in session.execute(select(a.id, a.code).where(a.book_id == book.id))
        if is_cash(code)
    ]
    if not cash_ids:
        return
    touching = select(p.transaction_id).where(p.book_id == book.id, p.account_id.in_(cash_ids))
    # Neither a year-end close nor the move of legacy balances into fund shares is a receipt or payment: the
    # legacy postings were already counted in the fund their other legs name.
    skipped = (YEAR_CLOSED, LEGACY_ATTRIBUTED)
    conditions = [t.book_id == book.id, t.kind.not_in(skipped), t.effective_date <= until, t.id.in_(touching)]
    if since is not None:
        conditions.append(t.effective_date >= since)
    legacy = _legacy_shares(session, book, conditions)
    rows = session.execute(
        select(t.sequence, t.effective_date, a.code, a.type, Fund.slug, p.amount)
        .join(p, p.transaction_id == t.id)
        .join(a, a.id == p.account_id)
        .outerjoin(Fund, Fund.id == a.fund_id)
        .where(*conditions, p.book_id == book.id)
        .order_by(t.sequence, p.line)
    )
    general = general_fund(session, book)
    funds = frozenset(
        session.scalars(select(Fund.slug).where(Fund.neighbourhood_id == book.neighbourhood_id))
    )
    current: int | None = None
    on: date | None = None
    legs: list[Leg] = []
    for sequence, day, code, kind, fund, amount in rows:
        if sequence != current:
            if current is not None and on is not None and legs:
                yield from classify(on, with_funds(legs, legacy.get(current)), funds, general)
            current, on, legs = sequence, day, []
        legs.append((code, kind, fund, int(amount)))
    if current is not None and on is not None and legs:
        yield from classify(on, with_funds(legs, legacy.get(current)), funds, general)
