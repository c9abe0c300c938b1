"""Appointing an independent examiner: the chair's invitation, the acceptance, the end and the lapse.

An appointment names one person (by email), one neighbourhood and one financial year. The invitation is a
signed link; whoever opens it signed in with the invited address accepts it, and from then until the chair
ends it or its examination period is over, the policy gives them the examiner role there: read-only access
to the books, statements, reconciliations, documents, approvals and audit log (see `pledgebank.policy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.accounts.services import normalise_email
from pledgebank.accounts.tokens import LinkSigner
from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.examiners.models import ExaminerAppointment
from pledgebank.examiners.states import APPOINTMENTS, AppointmentAction, AppointmentStatus
from pledgebank.neighbourhoods.models import Membership, Neighbourhood
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.policy import Action, require
from pledgebank.text import _t

INVITE_PURPOSE = "examiner-invitation"
# The invitation link works for thirty days; the chair can invite again after that.
INVITE_MAX_AGE = 30 * 24 * 60 * 60
OPEN = (AppointmentStatus.INVITED, AppointmentStatus.ACTIVE)


class AlreadyAppointed(Conflict):
    """The same person is already invited or appointed for that year."""

    code = "examiner_already_appointed"
    default_message = "That person is already the examiner for that year."


@dataclass(frozen=True, slots=True)
class Terms:
    """What the chair enters: who, and which financial year (its first and last days)."""

    email: str
    name: str
    year_start: date
    year_end: date


def _check_terms(terms: Terms, *, today: date) -> tuple[str, str]:
    address = normalise_email(terms.email)
    name = " ".join((terms.name or "").split())
    if not name:
        raise InvalidInput.field("name", "Enter the examiner's name.")
    if len(name) > 120:
        raise InvalidInput.field("name", "Keep the name to 120 characters or fewer.")
    if terms.year_start > today:
        raise InvalidInput.field("year", "That financial year has not started yet.")
    return address, name


def _check_independent(session: Session, address: str, neighbourhood_id: int) -> None:
    """An examiner has no conflict of interest (CC32, Direction 2): they cannot be a member of the group."""
    member = session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.neighbourhood_id == neighbourhood_id, func.lower(User.email) == address)
    )
    if member is not None:
        message = "An independent examiner cannot be a member of the group: choose someone from outside it."
        raise InvalidInput.field("email", message)


def appoint(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    terms: Terms,
    period_days: int,
    now: datetime,
    today: date,
    signer: LinkSigner,
) -> ExaminerAppointment:
    """Invite an examiner for a financial year (the chair): store the appointment, email a signed link."""
    require(session, actor_id, neighbourhood_id, Action.APPOINT_EXAMINER)
    address, name = _check_terms(terms, today=today)
    lapses_on = terms.year_end + timedelta(days=period_days)
    if lapses_on < today:
        message = f"The examination period of that year ended on {lapses_on:%-d %B %Y}."
        raise InvalidInput.field("year", message)
    _check_independent(session, address, neighbourhood_id)
    clash = session.scalar(
        select(ExaminerAppointment.id).where(
            ExaminerAppointment.neighbourhood_id == neighbourhood_id,
            ExaminerAppointment.email == address,
            ExaminerAppointment.year_start == terms.year_start,
            ExaminerAppointment.status.in_(OPEN),
        )
    )
    if clash is not None:
        raise AlreadyAppointed(fields={"email": [AlreadyAppointed.default_message]})
    appointment = ExaminerAppointment(
        neighbourhood_id=neighbourhood_id,
        email=address,
        examiner_name=name,
        year_start=terms.year_start,
        year_end=terms.year_end,
        lapses_on=lapses_on,
        status=AppointmentStatus.INVITED,
        appointed_by_id=actor_id,
        appointed_at=now,
    )
    session.add(appointment)
    session.flush()
    _audit(session, appointment, actor_id, "examiner.appointed", now)
    _invite(session, appointment, now=now, signer=signer)
    return appointment


def _invite(session: Session, appointment: ExaminerAppointment, *, now: datetime, signer: LinkSigner) -> None:
    neighbourhood = session.get_one(Neighbourhood, appointment.neighbourhood_id)
    chair = session.get_one(User, appointment.appointed_by_id)
    token = signer.sign(INVITE_PURPOSE, {"a": appointment.id, "e": appointment.email}, now)
    send_after_commit(
        session,
        Email(
            appointment.email,
            _t("You are invited to examine the accounts of %(place)s", place=neighbourhood.name),
            "examiners/invited",
            {
                "token": token,
                "name": appointment.examiner_name,
                "chair": chair.display_name,
                "neighbourhood": {"name": neighbourhood.name, "slug": neighbourhood.slug},
                "year_start": appointment.year_start,
                "year_end": appointment.year_end,
                "lapses_on": appointment.lapses_on,
                "reach": reach(session, neighbourhood.id),
            },
        ),
    )


def invitation(session: Session, *, token: str, now: datetime, signer: LinkSigner) -> ExaminerAppointment:
    """The appointment a genuine, unexpired invitation link names; NotFound otherwise."""
    payload = signer.read(INVITE_PURPOSE, token, max_age=INVITE_MAX_AGE, now=now)
    found = payload.get("a") if payload else None
    appointment = session.get(ExaminerAppointment, found) if isinstance(found, int) else None
    if payload is None or appointment is None or appointment.email != payload.get("e"):
        raise NotFound("That invitation link is not valid or has expired. Ask the chair to invite you again.")
    return appointment


def accept(
    session: Session, *, user_id: int, token: str, now: datetime, today: date, signer: LinkSigner
) -> ExaminerAppointment:
    """Accept the invitation as the signed-in user, who must hold the invited address.

    The link reached that address, so accepting also confirms it. Raises NotFound for a bad link, Forbidden
    when signed in as someone else, InvalidTransition once the appointment was accepted, ended or lapsed.
    """
    appointment = invitation(session, token=token, now=now, signer=signer)
    user = session.get_one(User, user_id)
    if user.email.lower() != appointment.email:
        raise Forbidden(
            f"This invitation was sent to {appointment.email}; sign in with that address to accept it."
        )
    if appointment.status is AppointmentStatus.INVITED and appointment.lapses_on < today:
        _step(appointment, AppointmentAction.LAPSE, now)
        _audit(session, appointment, None, "examiner.lapsed", now)
    appointment.status = APPOINTMENTS.next(appointment.status, AppointmentAction.ACCEPT)
    appointment.user_id, appointment.accepted_at = user.id, now
    if user.email_verified_at is None:
        user.email_verified_at = now
    _audit(session, appointment, user.id, "examiner.accepted", now)
    return appointment


def end(session: Session, *, actor_id: int, appointment_id: int, now: datetime) -> ExaminerAppointment:
    """End an appointment (the chair of its neighbourhood): the examiner's access stops at once."""
    appointment = session.get(ExaminerAppointment, appointment_id)
    if appointment is None:
        raise NotFound()
    require(session, actor_id, appointment.neighbourhood_id, Action.APPOINT_EXAMINER)
    appointment.ended_by_id = actor_id
    _step(appointment, AppointmentAction.END, now)
    _audit(session, appointment, actor_id, "examiner.ended", now)
    return appointment


def lapse_due(session: Session, *, now: datetime, today: date) -> int:
    """Lapse every open appointment whose examination period is over; how many lapsed."""
    due = session.scalars(
        select(ExaminerAppointment)
        .where(ExaminerAppointment.status.in_(OPEN), ExaminerAppointment.lapses_on < today)
        .order_by(ExaminerAppointment.id)
        .with_for_update(skip_locked=True)
    ).all()
    for appointment in due:
        _step(appointment, AppointmentAction.LAPSE, now)
        _audit(session, appointment, None, "examiner.lapsed", now)
    return len(due)


def _step(appointment: ExaminerAppointment, action: AppointmentAction, now: datetime) -> None:
    appointment.status = APPOINTMENTS.next(appointment.status, action)
    appointment.ended_at = now


def _audit(
    session: Session, appointment: ExaminerAppointment, actor_id: int | None, action: str, now: datetime
) -> None:
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=appointment.neighbourhood_id,
        action=action,
        subject=("examiner_appointment", appointment.id),
        now=now,
        after={
            "examiner": appointment.examiner_name,
            "year_start": appointment.year_start.isoformat(),
            "year_end": appointment.year_end.isoformat(),
        },
    )


def appointments(session: Session, *, neighbourhood_id: int) -> list[ExaminerAppointment]:
    """The neighbourhood's appointments, newest first."""
    return list(
        session.scalars(
            select(ExaminerAppointment)
            .where(ExaminerAppointment.neighbourhood_id == neighbourhood_id)
            .order_by(ExaminerAppointment.id.desc())
        )
    )


def examining(session: Session, *, user_id: int) -> list[ExaminerAppointment]:
    """The user's accepted appointments still in force (none for almost everyone)."""
    return list(
        session.scalars(
            select(ExaminerAppointment).where(
                ExaminerAppointment.user_id == user_id,
                ExaminerAppointment.status == AppointmentStatus.ACTIVE,
            )
        )
    )


def record_visit(
    session: Session,
    *,
    appointment: ExaminerAppointment,
    user_id: int,
    path: str,
    method: str,
    status: int,
    now: datetime,
) -> None:
    """Log a page the examiner opened ("examiner.viewed") or was refused ("examiner.refused")."""
    refused = status == 403 or method not in ("GET", "HEAD")
    record_event(
        session,
        actor_id=user_id,
        neighbourhood_id=appointment.neighbourhood_id,
        action="examiner.refused" if refused else "examiner.viewed",
        subject=("examiner_appointment", appointment.id),
        now=now,
        after={"path": path[:500], "method": method, "status": status},
    )
