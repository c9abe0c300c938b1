"""The examiner's checklist for one appointment: every registered question answered for its year."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pledgebank.books.services import book_of
from pledgebank.examiners import checklist, evidence_checks, fund_checks
from pledgebank.examiners.checks import Examination, Item, answer_all
from pledgebank.examiners.models import ExaminerAppointment
from pledgebank.neighbourhoods.models import Neighbourhood

# The questions register themselves on import; the checklist shows them module by module in this order.
REGISTERED = (checklist, fund_checks, evidence_checks)
_ORDER = {module.__name__: n for n, module in enumerate(REGISTERED)}


def examine(session: Session, *, appointment: ExaminerAppointment, threshold: int) -> list[Item]:
    """Answer every question for the appointment's neighbourhood and year, with payments above `threshold`
    (minor units) needing a second approver."""
    neighbourhood = session.get_one(Neighbourhood, appointment.neighbourhood_id)
    examination = Examination(
        session=session,
        book=book_of(session, neighbourhood.id),
        slug=neighbourhood.slug,
        start=appointment.year_start,
        end=appointment.year_end,
        threshold=threshold,
    )
    items = answer_all(examination)
    return sorted(items, key=lambda item: _ORDER.get(item.question.check.__module__, len(_ORDER)))
