"""Reads for the bank statement pages: the statements, the lines still to settle with what is suggested for
each, and the saved mappings and reconciliations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.neighbourhoods.models import Fund
from pledgebank.statements import matching
from pledgebank.statements.models import (
    ColumnMapping,
    LineRule,
    LineState,
    Reconciliation,
    Statement,
    StatementLine,
)

# The most lines a page lists at once (the oldest first): settle them, and the next ones show.
PAGE_LINES = 200


@dataclass(frozen=True, slots=True)
class OpenLine:
    """A line to settle, with the posting suggested for it and the remembered rule it fits."""

    line: StatementLine
    suggestion: matching.Suggestion | None
    rule: LineRule | None
    rule_fund: str


def statements(session: Session, book_id: int) -> list[Statement]:
    """The book's uploaded statements, newest first."""
    return list(
        session.scalars(select(Statement).where(Statement.book_id == book_id).order_by(Statement.id.desc()))
    )


def open_lines(session: Session, book_id: int) -> list[OpenLine]:
    """The oldest unmatched lines, each with its suggestion and rule."""
    lines = list(
        session.scalars(
            select(StatementLine)
            .where(StatementLine.book_id == book_id, StatementLine.state == LineState.UNMATCHED)
            .order_by(StatementLine.booked_on, StatementLine.id)
            .limit(PAGE_LINES)
        )
    )
    suggested = matching.suggest(session, book_id, lines)
    funds = {row[0]: row[1] for row in session.execute(select(Fund.id, Fund.slug))} if lines else {}
    found = []
    for line in lines:
        rule = None if line.id in suggested else matching.rule_for(session, book_id, line)
        found.append(
            OpenLine(line, suggested.get(line.id), rule, funds.get(rule.fund_id, "") if rule else "")
        )
    return found


def settled_lines(session: Session, book_id: int, limit: int = 50) -> list[StatementLine]:
    """The lines settled most recently, newest first."""
    return list(
        session.scalars(
            select(StatementLine)
            .where(StatementLine.book_id == book_id, StatementLine.state != LineState.UNMATCHED)
            .order_by(StatementLine.booked_on.desc(), StatementLine.id.desc())
            .limit(limit)
        )
    )


def mappings(session: Session, book_id: int) -> list[ColumnMapping]:
    """The CSV mappings saved for the book, by bank."""
    return list(
        session.scalars(
            select(ColumnMapping).where(ColumnMapping.book_id == book_id).order_by(ColumnMapping.bank)
        )
    )


def mapping_for(session: Session, book_id: int, bank: str | None) -> ColumnMapping | None:
    """The mapping saved for a bank, or else the one saved last."""
    named = session.scalar(
        select(ColumnMapping).where(ColumnMapping.book_id == book_id, ColumnMapping.bank == (bank or ""))
    )
    return named or session.scalar(
        select(ColumnMapping)
        .where(ColumnMapping.book_id == book_id)
        .order_by(ColumnMapping.id.desc())
        .limit(1)
    )


def reconciliations(session: Session, book_id: int) -> list[Reconciliation]:
    """The saved reconciliations, latest date first."""
    return list(
        session.scalars(
            select(Reconciliation)
            .where(Reconciliation.book_id == book_id)
            .order_by(Reconciliation.reconciled_on.desc())
        )
    )
