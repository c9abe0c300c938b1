"""Read-only questions the grant pages and API ask: public awards, decisions, ledger places, names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pledgebank.books.models import LedgerTransaction
from pledgebank.grants.models import GrantApplication, GrantDecision, GrantRound
from pledgebank.grants.states import WITH_AWARD
from pledgebank.neighbourhoods.models import Fund


@dataclass(frozen=True, slots=True)
class PublicAward:
    """An awarded grant as anyone may see it: no individual is named."""

    application_id: int
    title: str
    amount: int
    currency: str
    awarded_on: date | None
    fund: str
    round_title: str
    recipient: str


def public_awards(session: Session, *, neighbourhood_id: int) -> list[PublicAward]:
    """The neighbourhood's awarded grants, newest first: title, amount, date, fund and group (if any)."""
    rows = session.execute(
        select(GrantApplication, GrantRound.title, Fund.name)
        .join(GrantRound, GrantRound.id == GrantApplication.round_id)
        .join(Fund, Fund.id == GrantRound.fund_id)
        .where(
            GrantApplication.neighbourhood_id == neighbourhood_id,
            GrantApplication.status.in_([s.value for s in WITH_AWARD]),
        )
        .order_by(GrantApplication.awarded_at.desc(), GrantApplication.id.desc())
    ).all()
    return [
        PublicAward(
            application_id=application.id,
            title=application.title,
            amount=application.awarded_amount or 0,  # set on every application with an award
            currency=application.currency,
            awarded_on=application.award_date,
            fund=fund_name,
            round_title=round_title,
            recipient=application.recipient_name,
        )
        for application, round_title, fund_name in rows
    ]


def awarded_applications(session: Session, *, neighbourhood_id: int | None = None) -> list[GrantApplication]:
    """Awarded grants (all neighbourhoods, or one) with their round and fund loaded, oldest award first."""
    statement = (
        select(GrantApplication)
        .options(selectinload(GrantApplication.round).selectinload(GrantRound.fund))
        .where(GrantApplication.status.in_([s.value for s in WITH_AWARD]))
        .order_by(GrantApplication.awarded_at, GrantApplication.id)
    )
    if neighbourhood_id is not None:
        statement = statement.where(GrantApplication.neighbourhood_id == neighbourhood_id)
    return list(session.scalars(statement))


def decisions_in(
    session: Session, application_ids: Iterable[int]
) -> list[tuple[GrantDecision, GrantApplication]]:
    """The decisions on these applications, newest first, each with its application."""
    ids = list(application_ids)
    if not ids:
        return []
    rows = session.execute(
        select(GrantDecision, GrantApplication)
        .join(GrantApplication, GrantApplication.id == GrantDecision.application_id)
        .where(GrantDecision.application_id.in_(ids))
        .order_by(GrantDecision.id.desc())
    ).all()
    return [(decision, application) for decision, application in rows]


def sequences(session: Session, transaction_ids: Iterable[int | None]) -> dict[int, int]:
    """The book sequence number of each ledger transaction, by transaction id."""
    ids = {i for i in transaction_ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(LedgerTransaction.id, LedgerTransaction.sequence).where(LedgerTransaction.id.in_(ids))
    )
    return {row.id: row.sequence for row in rows}


def last_sequence(session: Session, book_id: int) -> int:
    """The book's latest sequence number (transactions are numbered without gaps from 1)."""
    return int(
        session.scalar(
            select(func.max(LedgerTransaction.sequence)).where(LedgerTransaction.book_id == book_id)
        )
        or 0
    )
