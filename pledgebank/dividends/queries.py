"""Reads for the dividend pages and exports: a neighbourhood's agreements, a body's, and the rows of the
agreements-and-outcomes export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pledgebank.dividends.models import DividendAgreement, DividendBody
from pledgebank.errors import NotFound

_LOADED = (
    selectinload(DividendAgreement.body),
    selectinload(DividendAgreement.fund),
    selectinload(DividendAgreement.neighbourhood),
    selectinload(DividendAgreement.evidence),
)


def of_neighbourhood(session: Session, neighbourhood_id: int) -> list[DividendAgreement]:
    """Every version of every agreement of the neighbourhood, newest first."""
    return list(
        session.scalars(
            select(DividendAgreement)
            .options(*_LOADED)
            .where(DividendAgreement.neighbourhood_id == neighbourhood_id)
            .order_by(DividendAgreement.id.desc())
        )
    )


def body_by_slug(session: Session, slug: str) -> DividendBody:
    """The body, or NotFound."""
    found = session.scalar(select(DividendBody).where(DividendBody.slug == slug))
    if found is None:
        raise NotFound("There is no such body.")
    return found


def of_body(session: Session, body_id: int) -> list[DividendAgreement]:
    """The body's agreements across neighbourhoods, newest first."""
    return list(
        session.scalars(
            select(DividendAgreement)
            .options(*_LOADED)
            .where(DividendAgreement.body_id == body_id)
            .order_by(DividendAgreement.id.desc())
        )
    )


def received(agreement: DividendAgreement) -> int:
    """What the body has paid of the dividend."""
    return agreement.earned_amount or 0 if agreement.received_transaction_id else 0


def export_row(agreement: DividendAgreement) -> dict[str, Any]:
    """One agreement with its outcome, for CSV and JSON (money in minor units, figures as whole numbers)."""
    return {
        "id": agreement.id,
        "version": agreement.version,
        "previous_id": agreement.previous_id,
        "neighbourhood": agreement.neighbourhood.slug,
        "body": agreement.body.name,
        "title": agreement.title,
        "status": agreement.status.value,
        "outcome": agreement.outcome_name,
        "unit": agreement.outcome_unit,
        "direction": agreement.direction,
        "outcome_source": agreement.outcome_source,
        "baseline": agreement.baseline_value,
        "baseline_period": agreement.baseline_period,
        "baseline_source": agreement.baseline_source,
        "target": agreement.target_value,
        "deadline": agreement.deadline.isoformat(),
        "terms": agreement.terms_kind,
        "payment_at_target": agreement.amount,
        "floor": agreement.floor_value,
        "cap": agreement.cap,
        "tiers": [list(t) for t in agreement.tiers or []],
        "currency": agreement.currency,
        "fund": agreement.fund.slug,
        "terms_hash": agreement.terms_hash,
        "latest_figure": agreement.latest_value,
        "verified_figure": agreement.outcome_value,
        "earned": agreement.earned_amount,
        "received": received(agreement),
        "outcomes": [{"period": e.period, "figure": e.value} for e in agreement.evidence],
    }
