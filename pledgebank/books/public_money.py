"""The open books: every transaction of a neighbourhood, in words, for anyone, one line per fund it touches.

A line's `change` is what the transaction did to the fund's money (its income less its spending and awards);
added up over every line of a fund it is the fund's balance, so the page's figures can be checked against
each other. A transaction that only moves money (a payout into the bank, a grant paid that was already
awarded) changes no fund, and its line says how much moved. Alike lines next to each other (the card
payments of one pledge collected together, one levy's charges of one month) read as one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from pledgebank.books.describe import describe, item_of
from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.wording import DEFAULT_LOCALE, Group, Link, group_text
from pledgebank.neighbourhoods.models import Fund
from pledgebank.text import _t

PER_PAGE = 50
_RESULT = ("income", "expense", "equity")


@dataclass(frozen=True, slots=True)
class Filter:
    """Which transactions: one fund's (None for all) and one month's (its first day; None for all time)."""

    fund: Fund | None = None
    month: date | None = None


@dataclass(slots=True)
class PublicLine:
    """One fund's part in one transaction (or in several alike ones, newest first), in words."""

    sequences: list[int]
    effective_date: date
    fund_slug: str | None
    fund_name: str
    text: str
    link: Link | None
    change: int
    moved: int
    currency: str
    hash: str
    group: Group | None = None
    units: set[int] = field(default_factory=set)
    # Card fees the fund paid out of this money (already taken off `change`).
    fees: int = 0
    # The locale the words' months and money are in (the page's).
    locale: str = DEFAULT_LOCALE


def _conditions(book: Book, chosen: Filter) -> list[ColumnElement[bool]]:
    t, p, a = LedgerTransaction, aliased(LedgerPosting), LedgerAccount
    conditions = [t.book_id == book.id]
    if chosen.month is not None:
        start = chosen.month.replace(day=1)
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        conditions += [t.effective_date >= start, t.effective_date < end]
    if chosen.fund is not None:
        accounts = select(a.id).where(a.book_id == book.id, a.fund_id == chosen.fund.id).scalar_subquery()
        conditions.append(
            exists().where(p.book_id == book.id, p.transaction_id == t.id, p.account_id.in_(accounts))
        )
    return conditions


def public_lines(
    session: Session,
    book: Book,
    chosen: Filter,
    *,
    before: int | None = None,
    per_page: int = PER_PAGE,
    locale: str = DEFAULT_LOCALE,
) -> tuple[list[PublicLine], int | None]:
    """A page of lines, newest first, and the sequence to start the next (older) page after, if any; their
    words translate where shown, their months and money in locale.

    Newest means by effective date, the sequence breaking ties, so an entry dated back sits among the
    others of its day. A page goes on from the transaction numbered `before` (the last one shown): the
    ones dated earlier, and those of the same day numbered lower.
    """
    t = LedgerTransaction
    statement = select(t).where(*_conditions(book, chosen))
    if before is not None:
        last = select(t.effective_date).where(t.book_id == book.id, t.sequence == before).scalar_subquery()
        statement = statement.where(
            or_(t.effective_date < last, and_(t.effective_date == last, t.sequence < before))
        )
    rows = list(
        session.scalars(statement.order_by(t.effective_date.desc(), t.sequence.desc()).limit(per_page + 1))
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    return _lines(session, book, rows, chosen, locale), rows[-1].sequence if more else None


def transaction_lines(
    session: Session, book: Book, sequence: int, locale: str = DEFAULT_LOCALE
) -> list[PublicLine]:
    """The lines of one transaction (one per fund it touches)."""
    t = LedgerTransaction
    rows = list(session.scalars(select(t).where(t.book_id == book.id, t.sequence == sequence)))
    return _lines(session, book, rows, Filter(), locale)


def all_public_lines(
    session: Session, book: Book, chosen: Filter, batch: int = 500, locale: str = DEFAULT_LOCALE
) -> Iterator[PublicLine]:
    """Every line the filter covers, newest first, read a batch at a time (for the CSV download)."""
    before = None
    while True:
        lines, before = public_lines(session, book, chosen, before=before, per_page=batch, locale=locale)
        yield from lines
        if before is None:
            return


Share = tuple[int, int, int]  # change to the fund's money, money moved, card fees


def _lines(
    session: Session, book: Book, rows: list[LedgerTransaction], chosen: Filter, locale: str
) -> list[PublicLine]:
    if not rows:
        return []
    reversed_seq = dict(
        session.execute(
            select(LedgerTransaction.id, LedgerTransaction.sequence).where(
                LedgerTransaction.book_id == book.id,
                LedgerTransaction.id.in_([r.reverses_id for r in rows if r.reverses_id]),
            )
        ).all()
    )
    words = describe(
        session,
        book,
        [item_of(r, reversed_seq.get(r.reverses_id) if r.reverses_id else None) for r in rows],
        locale,
    )
    shares = _shares(session, book, [r.id for r in rows])
    funds = {
        f.id: f for f in session.scalars(select(Fund).where(Fund.neighbourhood_id == book.neighbourhood_id))
    }
    lines: list[PublicLine] = []
    for row in rows:
        described = words[row.sequence]
        parts = shares.get(row.id, {})
        # Book-level legs (from before money was kept per fund) show only when no fund's legs do.
        touched: list[int | None] = [fund_id for fund_id in parts if fund_id is not None] or list(parts)
        for fund_id in touched:
            if chosen.fund is not None and fund_id != chosen.fund.id:
                continue
            fund = funds.get(fund_id) if fund_id is not None else None
            change, moved, fees = parts[fund_id]
            line = PublicLine(
                [row.sequence],
                row.effective_date,
                fund.slug if fund else None,
                fund.name if fund else _t("Whole book"),
                described.text,
                described.link,
                change,
                moved,
                book.currency,
                bytes(row.hash).hex(),
                described.group,
                {described.group.unit} if described.group else set(),
                fees,
                locale,
            )
            _add(lines, line)
    return lines


def _shares(session: Session, book: Book, ids: list[int]) -> dict[int, dict[int | None, Share]]:
    """Per transaction and fund: the change to the fund's money, the money moved and card fees (one query)."""
    totals: dict[int, dict[int | None, list[int]]] = defaultdict(dict)
    for transaction_id, fund_id, account_type, code, amount in session.execute(
        select(
            LedgerPosting.transaction_id,
            LedgerAccount.fund_id,
            LedgerAccount.type,
            LedgerAccount.code,
            LedgerPosting.amount,
        )
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(
            LedgerPosting.book_id == book.id,
            LedgerAccount.book_id == book.id,
            LedgerPosting.transaction_id.in_(ids),
        )
        .order_by(LedgerPosting.transaction_id, LedgerPosting.line)
    ):
        share = totals[transaction_id].setdefault(fund_id, [0, 0, 0])
        if account_type in _RESULT:
            share[0] -= amount  # income and fund balances are credits: a credit adds to the fund
            if code.startswith("expenses:") and code.endswith(":fees"):  # chart.fees_expense(fund)
                share[2] += amount
        elif amount > 0:
            share[1] += amount
    return {
        tx: {fund: (change, moved, fees) for fund, (change, moved, fees) in parts.items()}
        for tx, parts in totals.items()
    }


def _add(lines: list[PublicLine], line: PublicLine) -> None:
    """Append the line, or fold it into the line before when both are alike parts of one group."""
    last = lines[-1] if lines else None
    if (
        last is not None
        and line.group is not None
        and last.group is not None
        and last.group.key == line.group.key
        and last.fund_slug == line.fund_slug
        and last.effective_date == line.effective_date
    ):
        last.sequences.append(line.sequences[0])
        last.change += line.change
        last.moved += line.moved
        last.fees += line.fees
        last.units |= line.units
        last.text = group_text(last.group, len(last.sequences), last.units, last.currency, last.locale)
        return
    lines.append(line)
