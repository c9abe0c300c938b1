"""Examiners for tests: appointed by the chair and accepted through the real services."""

from __future__ import annotations

from datetime import date

from pledgebank.db import unit_of_work
from pledgebank.examiners import services
from pledgebank.examiners.services import INVITE_PURPOSE
from tests.factories.grants import clock_now

# The financial year the tests examine by default: it ended eleven months before the tests' clock.
YEAR = (date(2024, 4, 1), date(2025, 3, 31))
# Long enough that an appointment for YEAR is still in force on the tests' clock (2 March 2026).
PERIOD_DAYS = 400


def invite(
    app,
    chair: int,
    neighbourhood_id: int,
    address: str = "examiner@example.org",
    *,
    year: tuple[date, date] = YEAR,
    period_days: int = PERIOD_DAYS,
) -> tuple[int, str]:
    """The chair invites an examiner; return the appointment's id and the invitation's token."""
    now = clock_now(app)
    signer = app.extensions["pledgebank.signer"]
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        appointment = services.appoint(
            session,
            actor_id=chair,
            neighbourhood_id=neighbourhood_id,
            terms=services.Terms(address, "Helen Marsh", *year),
            period_days=period_days,
            now=now,
            today=now.date(),
            signer=signer,
        )
        token = signer.sign(INVITE_PURPOSE, {"a": appointment.id, "e": appointment.email}, now)
        return appointment.id, token


def accept(app, user_id: int, token: str) -> None:
    """The examiner accepts the invitation."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        services.accept(
            session,
            user_id=user_id,
            token=token,
            now=now,
            today=now.date(),
            signer=app.extensions["pledgebank.signer"],
        )


def appoint(
    app, chair: int, neighbourhood_id: int, examiner: int, address: str = "examiner@example.org"
) -> int:
    """Invite and accept at once; return the appointment's id."""
    appointment_id, token = invite(app, chair, neighbourhood_id, address)
    accept(app, examiner, token)
    return appointment_id
