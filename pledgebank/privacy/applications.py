"""Grant applications that came to nothing (not funded, or withdrawn) are deleted after their retention
period, with their budget, declarations, reviews, scores and decisions. None of them ever moved money."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from pledgebank.grants.models import (
    GrantApplication,
    GrantBudgetLine,
    GrantDecision,
    GrantDeclaration,
    GrantPayment,
    GrantReport,
    GrantReview,
    GrantScore,
)
from pledgebank.grants.states import ApplicationStatus

DECLINED = (ApplicationStatus.REJECTED.value, ApplicationStatus.WITHDRAWN.value)


def delete_declined_applications(session: Session, *, before: datetime) -> int:
    """Delete applications not funded or withdrawn whose last change was before `before`; return how many."""
    posted = exists().where(
        GrantDecision.application_id == GrantApplication.id,
        (GrantDecision.transaction_id.is_not(None)) | (GrantDecision.reversal_transaction_id.is_not(None)),
    )
    # Both states are final, so a locked row that still matches stays declined while it is deleted.
    ids = list(
        session.scalars(
            select(GrantApplication.id)
            .where(
                GrantApplication.status.in_(DECLINED),
                GrantApplication.updated_at < before,
                ~posted,
                ~exists().where(GrantPayment.application_id == GrantApplication.id),
                ~exists().where(GrantReport.application_id == GrantApplication.id),
            )
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return 0
    reviews = select(GrantReview.id).where(GrantReview.application_id.in_(ids))
    statements = (
        delete(GrantScore).where(GrantScore.review_id.in_(reviews)),
        delete(GrantReview).where(GrantReview.application_id.in_(ids)),
        delete(GrantDeclaration).where(GrantDeclaration.application_id.in_(ids)),
        delete(GrantDecision).where(GrantDecision.application_id.in_(ids)),
        delete(GrantBudgetLine).where(GrantBudgetLine.application_id.in_(ids)),
        delete(GrantApplication).where(GrantApplication.id.in_(ids)),
    )
    for statement in statements:
        session.execute(statement.execution_options(synchronize_session=False))
    return len(ids)
