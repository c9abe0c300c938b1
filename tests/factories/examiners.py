"""Examiners for tests: appointed by the chair and accepted through the real services."""

from __future__ import annotations

from datetime import date

from pledgebank.books.treasurer_checks import DONATION, OPENING_BALANCE, SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.examiners import services
from pledgebank.examiners.services import INVITE_PURPOSE
from tests.factories.grants import World, clock_now, world
from tests.factories.treasurer import approve, record, restricted_fund, terms

# The financial year the tests examine by default: it ended eleven months before the tests' clock.
YEAR = (date(2024, 4, 1), date(2025, 3, 31))
PAYMENT = {"place": "bank", "payee": "Oak Fencing Ltd", "purpose": "Mend the fence", "category": "repairs"}
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


def kept_year(app, sessions) -> World:
    """A neighbourhood whose YEAR was kept well: opening balances, a gift to the restricted fund Trees, a
    £200.00 payment from it (below the second-approval threshold) and a £600.00 one approved by a second
    member."""
    w = world(sessions, members=2, residents=0)
    restricted_fund(app, w.slug)
    first = YEAR[0]
    record(app, w.treasurer, w.slug, terms(app, OPENING_BALANCE, on=first, amount=200_000, cash_amount=0))
    gift = terms(
        app, DONATION, on=date(2024, 6, 1), amount=50_000, fund="trees", place="bank", donor="A Donor"
    )
    record(app, w.treasurer, w.slug, gift)
    small = terms(
        app,
        SUPPLIER_PAYMENT,
        on=date(2024, 9, 1),
        amount=20_000,
        fund="trees",
        for_fund_purpose=True,
        **PAYMENT,
    )
    assert record(app, w.treasurer, w.slug, small)[1] == "posted"
    big = terms(app, SUPPLIER_PAYMENT, on=date(2024, 10, 1), amount=60_000, **PAYMENT)
    entry_id, status, _legs = record(app, w.treasurer, w.slug, big)
    assert status == "awaiting_approval"
    approve(app, w.members[0], entry_id)
    return w
