"""Reading the books: transactions a page at a time, balances per account and per fund."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.describe import describe, item_of
from pledgebank.books.models import (
    Book,
    ChainHead,
    LedgerAccount,
    LedgerMonthlyTotal,
    LedgerPosting,
    LedgerTransaction,
)
from pledgebank.books.wording import DEFAULT_LOCALE
from pledgebank.ledger.canonical import to_hex
from pledgebank.ledger.chart import place_of
from pledgebank.neighbourhoods.models import Fund


@dataclass(frozen=True, slots=True)
class PostingLine:
    """One posting, with its account's code and name."""

    line: int
    account_code: str
    account_name: str
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class TransactionView:
    """A transaction with its postings, as shown to treasurers."""

    sequence: int
    effective_date: object
    kind: str
    memo: str
    source: dict[str, str]
    idempotency_key: str
    hash: str
    reverses_sequence: int | None
    recorded_at: object
    postings: list[PostingLine] = field(default_factory=list)
    # The correction that reversed this transaction, if one did: each of the pair names the other.
    reversed_by_sequence: int | None = None
    # The transaction in words (books.describe), derived from its source records.
    description: str = ""


@dataclass(frozen=True, slots=True)
class FundBalance:
    """A fund's income, expenses and what remains (income minus expenses), in minor units."""

    slug: str
    name: str
    income: int
    expenses: int

    @property
    def net(self) -> int:
        """Money the fund has left to spend or award."""
        return self.income - self.expenses


def transaction_count(session: Session, book: Book) -> int:
    """How many transactions the book holds: its chain head's sequence (gapless from 1), not a count."""
    return session.scalar(select(ChainHead.sequence).where(ChainHead.book_id == book.id)) or 0


def transactions_before(
    session: Session, book: Book, *, before: int | None, per_page: int, locale: str = DEFAULT_LOCALE
) -> list[TransactionView]:
    """The `per_page` transactions just older than sequence `before` (the newest when None), newest first
    (their descriptions' months and money in locale, the page's).

    Read by the book's (book, sequence) key, so any page costs the same however deep in the ledger it is.
    """
    statement = select(LedgerTransaction).where(LedgerTransaction.book_id == book.id)
    if before is not None:
        statement = statement.where(LedgerTransaction.sequence < before)
    rows = session.scalars(statement.order_by(LedgerTransaction.sequence.desc()).limit(per_page)).all()
    return _views(session, book, list(rows), locale)


def transactions_page(
    session: Session, book: Book, *, page: int, per_page: int
) -> tuple[list[TransactionView], int]:
    """A numbered page of transactions, newest first, and the total count (for the JSON API).

    Sequences are gapless, so page `page` is the sequences just below head - (page - 1) * per_page.
    """
    total = transaction_count(session, book)
    before = total + 1 - (page - 1) * per_page
    if before <= 1:
        return [], total
    return transactions_before(session, book, before=before, per_page=per_page), total


def _views(
    session: Session, book: Book, rows: list[LedgerTransaction], locale: str = DEFAULT_LOCALE
) -> list[TransactionView]:
    ids = [row.id for row in rows]
    reversed_seq: dict[int, int] = {
        row.id: row.sequence
        for row in session.execute(
            select(LedgerTransaction.id, LedgerTransaction.sequence).where(
                LedgerTransaction.book_id == book.id,
                LedgerTransaction.id.in_([r.reverses_id for r in rows if r.reverses_id]),
            )
        )
    }
    reversed_by: dict[int, int] = {
        original: sequence
        for original, sequence in session.execute(
            select(LedgerTransaction.reverses_id, LedgerTransaction.sequence).where(
                LedgerTransaction.book_id == book.id, LedgerTransaction.reverses_id.in_(ids)
            )
        )
        if original is not None
    }
    lines: dict[int, list[PostingLine]] = defaultdict(list)
    for p, code, name in session.execute(
        select(LedgerPosting, LedgerAccount.code, LedgerAccount.name)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerPosting.book_id == book.id, LedgerPosting.transaction_id.in_(ids))
        .order_by(LedgerPosting.transaction_id, LedgerPosting.line)
    ):
        lines[p.transaction_id].append(PostingLine(p.line, code, name, p.amount, p.currency))
    words = describe(
        session,
        book,
        [item_of(r, reversed_seq.get(r.reverses_id) if r.reverses_id else None) for r in rows],
        locale,
    )
    return [
        TransactionView(
            sequence=r.sequence,
            effective_date=r.effective_date,
            kind=r.kind,
            memo=r.memo,
            source=dict(r.source or {}),
            idempotency_key=r.idempotency_key,
            hash=to_hex(bytes(r.hash)),
            reverses_sequence=reversed_seq.get(r.reverses_id) if r.reverses_id is not None else None,
            recorded_at=r.recorded_at,
            postings=lines[r.id],
            reversed_by_sequence=reversed_by.get(r.id),
            description=words[r.sequence].text,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class AccountLine:
    """An account's maintained balance and, for bank, cash and the like, the total with every fund's share."""

    code: str
    name: str
    type: str
    currency: str
    normal_sign: int
    balance: int
    total: int


def account_balances(session: Session, book: Book) -> list[AccountLine]:
    """Every account of the book with its maintained balance, in chart order.

    A book-level asset or liability's total adds its funds' shares (`assets:bank:<fund>`) to what it holds.
    """
    rows = list(
        session.scalars(
            select(LedgerAccount)
            .where(LedgerAccount.book_id == book.id)
            .order_by(LedgerAccount.fund_id.nulls_first(), LedgerAccount.id)
        )
    )
    totals: dict[str, int] = defaultdict(int)
    for account in rows:
        totals[place_of(account.code) or account.code] += int(account.balance or 0)
    return [
        AccountLine(
            a.code,
            a.name,
            a.type,
            a.currency,
            a.normal_sign,
            int(a.balance or 0),
            totals[a.code] if a.fund_id is None else int(a.balance or 0),
        )
        for a in rows
    ]


def fund_balances(session: Session, book: Book) -> list[FundBalance]:
    """Per fund, over its whole life: income received (and balances brought in), expenses, and the net.

    Year-end closes move income and expenses into the fund's balance account; what they moved is added
    back, so the figures read the same before and after a close and the net is the fund's balance.
    """
    rows = session.execute(
        select(Fund.slug, Fund.name, LedgerAccount.id, LedgerAccount.type, LedgerAccount.balance)
        .join(LedgerAccount, LedgerAccount.fund_id == Fund.id)
        # A fund's shares of the assets and liabilities mirror its result; only the result is its balance.
        .where(LedgerAccount.book_id == book.id, LedgerAccount.type.in_(("income", "expense", "equity")))
        .order_by(Fund.id, LedgerAccount.id)
    ).all()
    closed = closing_amounts(session, [row.id for row in rows])
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for slug, name, account_id, account_type, balance in rows:
        fund = totals.setdefault((slug, name), {"income": 0, "expense": 0})
        value = int(balance or 0) - closed.get(account_id, 0)
        # Income and fund balances are credit-normal (negative balances); expenses debit-normal.
        if account_type == "expense":
            fund["expense"] += value
        else:
            fund["income"] -= value
    return [FundBalance(slug, name, t["income"], t["expense"]) for (slug, name), t in totals.items()]


def closing_amounts(session: Session, account_ids: list[int]) -> dict[int, int]:
    """Per account, the sum of what year-end closes posted to it (to tell a fund's lifetime figures)."""
    if not account_ids:
        return {}
    # The monthly totals keep what closes posted: a few rows per account, however long the ledger.
    m = LedgerMonthlyTotal
    rows = session.execute(
        select(m.account_id, func.sum(m.closed))
        .where(m.account_id.in_(account_ids), m.closed != 0)
        .group_by(m.account_id)
    )
    return {account_id: int(total or 0) for account_id, total in rows}
