"""Applying for a grant: drafting, editing, submitting and withdrawing; reading applications one may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import registers
from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.grants.access import require_applicant
from pledgebank.grants.models import GrantApplication, GrantBudgetLine, GrantRound
from pledgebank.grants.states import ApplicationAction, ApplicationStatus, next_status
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.policy import Action, can, require
from pledgebank.text import _t

MAX_LINES = 20


@dataclass(frozen=True, slots=True)
class ApplicationTerms:
    """What an application asks for, as entered (amounts in minor units)."""

    title: str
    summary: str
    amount_requested: int
    budget_lines: list[tuple[str, int]] = field(default_factory=list)
    group_name: str | None = None
    # A group's registered charity or company number and its postcode, if it has them.
    charity_number: str | None = None
    company_number: str | None = None
    postcode: str | None = None


class RoundClosed(Conflict):
    """The round is not taking applications now."""

    code = "round_closed"
    default_message = "This grant round is not taking applications now."


def check_terms(terms: ApplicationTerms, grant_round: GrantRound) -> None:
    """Raise InvalidInput naming every field that is wrong (the budget lines must add up to the request)."""
    errors: dict[str, list[str]] = {}
    if not 3 <= len(terms.title.strip()) <= 120:
        errors["title"] = ["Give the application a title of 3 to 120 characters."]
    if not 10 <= len(terms.summary.strip()) <= 4000:
        errors["summary"] = ["Say what the money is for in 10 to 4000 characters."]
    if len((terms.group_name or "").strip()) > 120:
        errors["group_name"] = ["Use at most 120 characters for the group's name."]
    if not 0 < terms.amount_requested <= grant_round.max_award:
        errors["amount_requested"] = ["Ask for above zero and at most the round's largest award."]
    lines = terms.budget_lines
    if not 1 <= len(lines) <= MAX_LINES:
        errors["budget_lines"] = [f"Give between 1 and {MAX_LINES} budget lines."]
    elif any(not 1 <= len(text.strip()) <= 200 or amount <= 0 for text, amount in lines):
        errors["budget_lines"] = ["Each budget line needs what it is for (up to 200 characters) and a cost."]
    elif sum(amount for _, amount in lines) != terms.amount_requested:
        errors["budget_lines"] = ["The budget lines must add up to the amount requested."]
    errors.update(_group_numbers(terms))
    if errors:
        raise InvalidInput(fields=errors)


_REGISTERS = {
    "charity_number": registers.charity_number,
    "company_number": registers.company_number,
    "postcode": registers.postcode,
}


def _group_numbers(terms: ApplicationTerms) -> dict[str, list[str]]:
    """Errors in a group's numbers and postcode (an individual gives none: they would identify them)."""
    errors: dict[str, list[str]] = {}
    for name, check in _REGISTERS.items():
        text = (getattr(terms, name) or "").strip()
        if not text:
            continue
        if not (terms.group_name or "").strip():
            errors[name] = ["Only a group gives this: leave it blank when you apply for yourself."]
            continue
        try:
            check(text)
        except ValueError as error:
            errors[name] = [str(error)]
    return errors


def _registered(text: str | None, check) -> str | None:
    return check(text.strip()) if text and text.strip() else None


def _fill(application: GrantApplication, terms: ApplicationTerms) -> None:
    application.title = terms.title.strip()
    application.summary = terms.summary.strip()
    application.amount_requested = terms.amount_requested
    application.group_name = (terms.group_name or "").strip() or None
    for name, check in _REGISTERS.items():
        setattr(application, name, _registered(getattr(terms, name), check))
    application.budget_lines = [
        GrantBudgetLine(position=n, description=text.strip(), amount=amount)
        for n, (text, amount) in enumerate(terms.budget_lines, start=1)
    ]


def create_application(
    session: Session, *, actor_id: int, grant_round: GrantRound, terms: ApplicationTerms, now: datetime
) -> GrantApplication:
    """Start a draft application to a round that has not closed (members)."""
    require(session, actor_id, grant_round.neighbourhood_id, Action.APPLY_FOR_GRANT)
    if now >= grant_round.closes_at:
        raise RoundClosed("This grant round has closed.")
    check_terms(terms, grant_round)
    application = GrantApplication(
        neighbourhood_id=grant_round.neighbourhood_id,
        round_id=grant_round.id,
        applicant_id=actor_id,
        currency=grant_round.currency,
        status=ApplicationStatus.DRAFT.value,
        created_at=now,
        updated_at=now,
    )
    _fill(application, terms)
    session.add(application)
    session.flush()  # the id, for the page it goes to next
    return application


def update_application(
    session: Session, *, actor_id: int, application: GrantApplication, terms: ApplicationTerms, now: datetime
) -> GrantApplication:
    """Change a draft (its applicant only; a submitted application is frozen)."""
    require_applicant(application, actor_id, "change this application")
    application = get_application(session, application.id, lock=True)
    application.status = next_status(application.status, ApplicationAction.EDIT)
    check_terms(terms, application.round)
    application.budget_lines.clear()
    session.flush()  # the old lines go before the new ones take their positions
    _fill(application, terms)
    application.updated_at = now
    return application


def submit_application(
    session: Session, *, actor_id: int, application: GrantApplication, now: datetime
) -> GrantApplication:
    """Send a draft to the committee while the round is open; the applicant gets a confirmation."""
    require_applicant(application, actor_id, "submit this application")
    require(session, actor_id, application.neighbourhood_id, Action.APPLY_FOR_GRANT)
    application = get_application(session, application.id, lock=True)
    application.status = next_status(application.status, ApplicationAction.SUBMIT)
    if not application.round.is_open(now):
        raise RoundClosed()
    check_terms(
        ApplicationTerms(
            application.title,
            application.summary,
            application.amount_requested,
            [(line.description, line.amount) for line in application.budget_lines],
            application.group_name,
        ),
        application.round,
    )
    application.submitted_at = application.updated_at = now
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant_application.submitted",
        subject=("grant_application", application.id),
        now=now,
        after={"status": application.status, "amount_requested": application.amount_requested},
    )
    tell_applicant(
        session,
        application,
        _t("Application received: %(title)s", title=application.title),
        "grants/submitted",
    )
    return application


def withdraw_application(
    session: Session, *, actor_id: int, application: GrantApplication, now: datetime
) -> GrantApplication:
    """Withdraw an application that is not decided yet (its applicant only)."""
    require_applicant(application, actor_id, "withdraw this application")
    application = get_application(session, application.id, lock=True)
    before = application.status
    application.status = next_status(application.status, ApplicationAction.WITHDRAW)
    application.updated_at = now
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant_application.withdrawn",
        subject=("grant_application", application.id),
        now=now,
        before={"status": before},
        after={"status": application.status},
    )
    return application


def get_application(session: Session, application_id: int, *, lock: bool = False) -> GrantApplication:
    """The application, optionally locked for update (and re-read); NotFound otherwise."""
    statement = select(GrantApplication).where(GrantApplication.id == application_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found = session.scalar(statement)
    if found is None:
        raise NotFound("There is no such application.")
    return found


def list_applications(
    session: Session, *, neighbourhood_id: int, user_id: int | None, round_id: int | None = None
) -> list[GrantApplication]:
    """Applications the user may see: officers see every submitted one, everyone sees their own."""
    if user_id is None:
        return []
    statement = select(GrantApplication).where(GrantApplication.neighbourhood_id == neighbourhood_id)
    if round_id is not None:
        statement = statement.where(GrantApplication.round_id == round_id)
    mine = GrantApplication.applicant_id == user_id
    if can(session, user_id, neighbourhood_id, Action.VIEW_GRANT_APPLICATIONS):
        statement = statement.where(mine | (GrantApplication.status != ApplicationStatus.DRAFT.value))
    else:
        statement = statement.where(mine)
    return list(session.scalars(statement.order_by(GrantApplication.id)))


def tell_applicant(
    session: Session, application: GrantApplication, subject: str, template: str, context: dict | None = None
) -> None:
    """Email the applicant about their application (after commit)."""
    user = session.get_one(User, application.applicant_id)
    send_after_commit(
        session,
        Email(
            user.email,
            subject,
            template,
            {
                "name": user.display_name,
                "application_id": application.id,
                "title": application.title,
                "requested": application.amount_requested,
                "currency": application.currency,
                "reach": reach(session, application.neighbourhood_id),
                **(context or {}),
            },
        ),
    )
