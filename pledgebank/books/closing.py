"""Closing a financial year: each fund's income and expenses move into its fund balance, then the year locks.

The close is one unit of work: take the book's chain-head lock (every posting takes it too), post the closing
transaction dated on the last day of the year, then record the closed period. From then on the database
refuses any transaction dated on or before that day, and refuses to reopen the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.audit import record_event
from pledgebank.books.models import (
    Book,
    ChainHead,
    ClosedPeriod,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
)
from pledgebank.books.services import closed_through, post
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.grants.models import GrantApplication, GrantPayment
from pledgebank.grants.states import PaymentStatus
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require


class YearAlreadyClosed(Conflict):
    """The year asked for was closed before."""

    code = "year_already_closed"
    default_message = "That year is already closed."


class PaymentsAwaitingApproval(Conflict):
    """Money recorded as paid inside the year still waits for a second approver before it is booked."""

    code = "payments_awaiting_approval"
    default_message = "Grant payments dated in that year are waiting for approval."


@dataclass(frozen=True, slots=True)
class FundClose:
    """What a close does to one fund: its income and expenses up to the date, and what its balance gains."""

    slug: str
    name: str
    income: int
    expenses: int

    @property
    def surplus(self) -> int:
        """Income less expenses: what moves into the fund's balance (negative for a deficit)."""
        return self.income - self.expenses


@dataclass(frozen=True, slots=True)
class ClosePreview:
    """What closing the books through a date would post, per fund, and the close before it."""

    through: date
    currency: str
    previous: date | None
    funds: list[FundClose] = field(default_factory=list)
    balances: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when there is no income or expense to move (the period is locked all the same)."""
        return not any(self.balances.values())


def _balances_through(session: Session, book: Book, through: date) -> dict[str, int]:
    """Signed balance (debits positive) of each fund income and expense account at the end of `through`."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(a.code, func.sum(p.amount))
        .join(p, p.account_id == a.id)
        .join(t, t.id == p.transaction_id)
        .where(
            a.book_id == book.id,
            p.book_id == book.id,
            t.book_id == book.id,
            a.type.in_(["income", "expense"]),
            t.effective_date <= through,
        )
        .group_by(a.code)
    )
    return {code: int(total) for code, total in rows if total and chart.is_closed_at_year_end(code)}


def preview_close(session: Session, *, book: Book, through: date) -> ClosePreview:
    """What a close through `through` would move, fund by fund (every fund is listed)."""
    balances = _balances_through(session, book, through)
    funds = session.execute(
        select(Fund.slug, Fund.name)
        .where(Fund.neighbourhood_id == book.neighbourhood_id)
        .order_by(Fund.is_general.desc(), Fund.name)
    ).all()
    lines = []
    for slug, name in funds:
        income = -sum(v for code, v in balances.items() if code.startswith(f"income:{slug}:"))
        expenses = sum(v for code, v in balances.items() if code.startswith(f"expenses:{slug}:"))
        lines.append(FundClose(slug, name, income, expenses))
    return ClosePreview(through, book.currency, closed_through(session, book.id), lines, balances)


def _check_date(session: Session, book: Book, through: date, today: date) -> None:
    if through >= today:
        raise InvalidInput.field("through", "A year can be closed only after its last day has passed.")
    previous = closed_through(session, book.id)
    if previous is None or through > previous:
        return
    already = session.scalar(
        select(ClosedPeriod.id).where(ClosedPeriod.book_id == book.id, ClosedPeriod.closed_through == through)
    )
    if already is not None:
        raise YearAlreadyClosed(
            f"The books are already closed through {through:%-d %B %Y}.",
            fields={"through": [f"The books are already closed through {through:%-d %B %Y}."]},
        )
    message = f"The books are closed through {previous:%-d %B %Y}; choose a later date."
    raise YearAlreadyClosed(message, fields={"through": [message]})


def _check_nothing_waiting(session: Session, book: Book, through: date) -> None:
    """Refuse while a grant payment dated on or before `through` waits for approval: once the period locks,
    approving it could never post, and money that left the bank would never be booked."""
    waiting = session.execute(
        select(GrantApplication.title, GrantPayment.amount, GrantApplication.currency, GrantPayment.paid_on)
        .join(GrantApplication, GrantApplication.id == GrantPayment.application_id)
        .where(
            GrantApplication.neighbourhood_id == book.neighbourhood_id,
            GrantPayment.status == PaymentStatus.AWAITING_APPROVAL.value,
            GrantPayment.paid_on <= through,
        )
        .order_by(GrantPayment.paid_on, GrantPayment.id)
    ).all()
    waiting = [
        *waiting,
        *session.execute(
            select(TreasurerEntry.payee, TreasurerEntry.amount, Book.currency, TreasurerEntry.effective_date)
            .join(Book, Book.id == TreasurerEntry.book_id)
            .where(
                TreasurerEntry.book_id == book.id,
                TreasurerEntry.status == "awaiting_approval",
                TreasurerEntry.effective_date <= through,
            )
            .order_by(TreasurerEntry.effective_date, TreasurerEntry.id)
        ).all(),
    ]
    if not waiting:
        return
    listed = "; ".join(
        f'"{title}", {money_words.full(amount, currency)} paid {paid_on:%-d %B %Y}'
        for title, amount, currency, paid_on in waiting
    )
    message = (
        f"These payments dated on or before {through:%-d %B %Y} are waiting for a second member to "
        f"approve them: {listed}. Have them approved before closing the year."
    )
    raise PaymentsAwaitingApproval(message, fields={"through": [message]})


def close_year(
    session: Session,
    *,
    actor_id: int,
    book: Book,
    through: date,
    now: datetime,
    today: date | None = None,
) -> ClosedPeriod:
    """Close the books through `through` (chair or treasurer): post the closing entry, then lock the period.

    `today` is the local date (defaults to now's date); the year must have ended before it. Raises
    InvalidInput for a date not yet past, YearAlreadyClosed for a date on or before the latest close,
    PaymentsAwaitingApproval while a grant payment dated in the period waits for its second approver.
    """
    require(session, actor_id, book.neighbourhood_id, Action.CLOSE_YEAR)
    # Writers on the book queue on its chain head; holding it here keeps postings out until the lock is in.
    session.execute(select(ChainHead.sequence).where(ChainHead.book_id == book.id).with_for_update())
    _check_date(session, book, through, today or now.date())
    _check_nothing_waiting(session, book, through)
    balances = _balances_through(session, book, through)
    entry = rules.year_closed(
        balances={code: Money(amount, book.currency) for code, amount in balances.items()},
        through=through,
        key=rules.year_close_key(book.slug, through),
        source={"closed_through": through.isoformat()},
        actor_id=actor_id,
    )
    transaction_id = None
    if entry is not None:
        transaction_id = post(session, book=book, entry=entry, now=now).transaction.id
    period = ClosedPeriod(
        book_id=book.id,
        closed_through=through,
        transaction_id=transaction_id,
        closed_by_id=actor_id,
        closed_at=now,
    )
    session.add(period)
    session.flush()  # the lock is in force from here on in this unit of work; an id for the audit event
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=book.neighbourhood_id,
        action="year.closed",
        subject=("closed_period", period.id),
        now=now,
        after={"closed_through": through.isoformat(), "transaction_id": transaction_id},
    )
    return period


def closed_periods(session: Session, book: Book) -> list[ClosedPeriod]:
    """The book's closed periods, latest first."""
    return list(
        session.scalars(
            select(ClosedPeriod)
            .where(ClosedPeriod.book_id == book.id)
            .order_by(ClosedPeriod.closed_through.desc())
        )
    )
