"""Examiners for tests: appointed by the chair and accepted through the real services; a year kept well,
with its payments' documents and its bank reconciled, for the checklist."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pledgebank.books.services import book_of
from pledgebank.books.treasurer_checks import DONATION, OPENING_BALANCE, SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.documents.queries import payments_between
from pledgebank.examiners import services
from pledgebank.examiners.services import INVITE_PURPOSE
from pledgebank.statements import matching, reconciling
from pledgebank.statements.demo import DEMO_BANK, LAYOUT, statement_of_books
from pledgebank.statements.models import StatementLine
from tests.factories.documents import attach, pdf
from tests.factories.grants import World, clock_now, world
from tests.factories.statements import upload
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


def document_payments(app, w: World, year: tuple[date, date] = YEAR) -> list[tuple[str, int]]:
    """Attach an invoice to every supplier and grant payment of the year through the real service; return
    each payment's (subject slug, id)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book_id = book_of(session, w.neighbourhood_id).id
        payments = payments_between(session, book_id, *year)
    for n, payment in enumerate(payments):
        attach(app, w.treasurer, payment.subject, payment.subject_id, pdf(f"Invoice {n}"), f"invoice-{n}.pdf")
    return [(payment.subject.slug, payment.subject_id) for payment in payments]


def reconcile_bank(app, w: World, on: date = YEAR[1], first: date = YEAR[0]) -> None:
    """Upload the bank's statement of the books' own bank movements from `first` to `on`, match every line,
    and reconcile the bank at `on`, as the treasurer."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book_id = book_of(session, w.neighbourhood_id).id
        data = statement_of_books(session, book_id, first, on)
    upload(app, w.treasurer, w.slug, data, layout=LAYOUT, bank=DEMO_BANK)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        open_lines = list(session.scalars(select(StatementLine).where(StatementLine.book_id == book_id)))
        for line_id, found in matching.suggest(session, book_id, open_lines).items():
            matching.match_line(
                session,
                actor_id=w.treasurer,
                neighbourhood_id=w.neighbourhood_id,
                line_id=line_id,
                transaction_id=found.movement.transaction_id,
                now=now,
            )
        reconciling.reconcile(
            session, actor_id=w.treasurer, neighbourhood_id=w.neighbourhood_id, on=on, now=now
        )
