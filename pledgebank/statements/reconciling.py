"""Reconciling the bank at a date: the statement's balance against the books' bank balance, and the items on
either side that explain the difference.

At a date, a line is outstanding if the books have no transaction for it dated on or before then, and a bank
movement of the books is outstanding if no line on or before then is matched to it. Movements dated before
the first statement line are left out: the statement's opening balance already holds them. The two agree
when the statement balance equals the books' bank balance, plus the outstanding lines, less the outstanding
movements; a reconciliation is saved only then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import Book, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.policy import Action, require
from pledgebank.statements import bank
from pledgebank.statements.models import Reconciliation, Statement, StatementLine


@dataclass(slots=True)
class Position:
    """The bank against the books at the end of a day."""

    on: date
    statement_balance: int | None
    ledger_balance: int
    lines: list[StatementLine] = field(default_factory=list)
    movements: list[bank.Movement] = field(default_factory=list)
    last: Reconciliation | None = None

    @property
    def explained(self) -> int:
        """The books' balance carried to what the bank should show, by the outstanding items."""
        outstanding = sum(line.amount for line in self.lines) - sum(m.amount for m in self.movements)
        return self.ledger_balance + outstanding

    @property
    def difference(self) -> int | None:
        """What nothing listed explains (None without a statement balance)."""
        return None if self.statement_balance is None else self.statement_balance - self.explained

    @property
    def agrees(self) -> bool:
        """Whether the outstanding items explain the whole difference."""
        return self.difference == 0


def last_reconciliation(session: Session, book_id: int, on_or_before: date) -> Reconciliation | None:
    """The book's latest saved reconciliation at or before a date, or None."""
    return session.scalar(
        select(Reconciliation)
        .where(Reconciliation.book_id == book_id, Reconciliation.reconciled_on <= on_or_before)
        .order_by(Reconciliation.reconciled_on.desc())
        .limit(1)
    )


def _end_of_day(lines: list[StatementLine]) -> int:
    """The balance after a day's lines, whichever order the bank listed them in."""
    before = {line.balance - line.amount for line in lines if line.balance is not None}
    last = [line for line in lines if line.balance is not None and line.balance not in before]
    return (last or lines)[-1].balance or 0


def statement_balance(session: Session, book_id: int, on: date) -> int | None:
    """The bank's balance at the end of a day, from the latest running or closing balance on or before it
    and the lines after that; None when no statement gives a balance by then."""
    s, line_ = Statement, StatementLine
    line_day = session.scalar(
        select(func.max(line_.booked_on)).where(
            line_.book_id == book_id, line_.booked_on <= on, line_.balance.is_not(None)
        )
    )
    closing = session.execute(
        select(s.last_day, s.closing_balance)
        .where(s.book_id == book_id, s.last_day <= on, s.closing_balance.is_not(None))
        .order_by(s.last_day.desc(), s.id.desc())
        .limit(1)
    ).first()
    if line_day is None and closing is None:
        return None
    if closing is not None and (line_day is None or closing[0] >= line_day):
        anchor_day, anchor = closing[0], int(closing[1] or 0)
    else:
        assert line_day is not None
        day_lines = list(
            session.scalars(
                select(line_).where(line_.book_id == book_id, line_.booked_on == line_day).order_by(line_.id)
            )
        )
        anchor_day, anchor = line_day, _end_of_day(day_lines)
    after = session.scalar(
        select(func.sum(line_.amount)).where(
            line_.book_id == book_id, line_.booked_on > anchor_day, line_.booked_on <= on
        )
    )
    return anchor + int(after or 0)


def position(session: Session, book: Book, on: date, given: int | None = None) -> Position:
    """The bank against the books at the end of `on`; `given` is the statement balance typed, if any."""
    lines = list(
        session.scalars(
            select(StatementLine)
            .where(StatementLine.book_id == book.id, StatementLine.booked_on <= on)
            .order_by(StatementLine.booked_on, StatementLine.id)
        )
    )
    settled = {line.transaction_id for line in lines if line.transaction_id is not None}
    dated = {
        row[0]: row[1]
        for row in session.execute(
            select(LedgerTransaction.id, LedgerTransaction.effective_date).where(
                LedgerTransaction.id.in_(settled)
            )
        )
    }
    found = Position(
        on,
        given if given is not None else statement_balance(session, book.id, on),
        bank.balance_on(session, book.id, on),
        last=last_reconciliation(session, book.id, on),
    )
    found.lines = [
        line for line in lines if line.transaction_id is None or dated.get(line.transaction_id, on) > on
    ]
    start = session.scalar(select(func.min(StatementLine.booked_on)).where(StatementLine.book_id == book.id))
    if start is not None and start <= on:
        seen = {tid for tid in settled if dated.get(tid, on) <= on}
        found.movements = [
            m
            for m in bank.movements(session, book.id, since=start, through=on)
            if m.transaction_id not in seen
        ]
    return found


def reconcile(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    on: date,
    now: datetime,
    given: int | None = None,
) -> Reconciliation:
    """Save the reconciliation at a date once the bank and the books agree; raises InvalidInput otherwise."""
    require(session, actor_id, neighbourhood_id, Action.RECONCILE_BANK)
    book = book_of(session, neighbourhood_id)
    first_day = session.scalar(select(func.min(Statement.first_day)).where(Statement.book_id == book.id))
    if first_day is None or on < first_day:
        raise InvalidInput.field("on", "No statement uploaded covers that date: upload it first.")
    found = position(session, book, on, given)
    if found.statement_balance is None:
        raise InvalidInput.field("statement_balance", "Enter the balance the statement shows on that date.")
    if not found.agrees:
        raise InvalidInput.field(
            "on",
            "The bank and the books do not agree yet: match or post the lines, or correct the books, until "
            "the outstanding items explain the difference.",
        )
    return _save(session, book, found, actor_id, now)


def _save(session: Session, book: Book, found: Position, actor_id: int, now: datetime) -> Reconciliation:
    assert found.statement_balance is not None
    figures = {
        "statement_balance": found.statement_balance,
        "ledger_balance": found.ledger_balance,
        "unmatched_lines_total": sum(line.amount for line in found.lines),
        "unmatched_postings_total": sum(m.amount for m in found.movements),
    }
    existing = session.scalar(
        select(Reconciliation).where(
            Reconciliation.book_id == book.id, Reconciliation.reconciled_on == found.on
        )
    )
    if existing is not None:
        if all(getattr(existing, name) == value for name, value in figures.items()):
            return existing
        raise Conflict("The bank was reconciled at that date already, with other figures.")
    saved = Reconciliation(
        book_id=book.id, reconciled_on=found.on, reconciled_by_id=actor_id, reconciled_at=now, **figures
    )
    try:
        with session.begin_nested():
            session.add(saved)
            session.flush()
    except IntegrityError as error:  # saved at the same moment by another request
        raise Conflict("The bank was reconciled at that date a moment ago; reload to see it.") from error
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=book.neighbourhood_id,
        action="statement.reconciled",
        subject=("bank_reconciliation", saved.id),
        now=now,
        after={"on": found.on.isoformat(), **figures},
    )
    return saved
