"""Demo data for examiners: an independent examiner appointed by the chair for last financial year (the one
the demo's books close), who has accepted and can sign in like the other demo people."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from pledgebank.accounts.demo import DEMO_PASSWORD, PEOPLE, DemoPerson
from pledgebank.accounts.services import create_user
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.examiners import services
from pledgebank.examiners.services import INVITE_PURPOSE
from pledgebank.exports.statements import year_of, year_starting
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood

EXAMINER = DemoPerson("Helen Marsh", "helen@example.org", ("examiner of last year's accounts",))


def seed_examiner(app: Flask, ids: dict[str, int]) -> None:
    """Create the examiner's account, have the chair appoint her for last year, and accept the appointment."""
    sessions, signer = app.extensions["pledgebank.sessions"], app.extensions["pledgebank.signer"]
    now = app.extensions["pledgebank.clock"].now()
    today = local_date(now, app.config["TIMEZONE"])
    start = app.config["FINANCIAL_YEAR_START"]
    first, last = year_starting(year_of(today, start) - 1, start)
    # Long enough to reach past today whatever day the demo starts on.
    period = max(app.config["EXAMINATION_PERIOD_DAYS"], (today - last).days + 30)
    with unit_of_work(sessions) as session:
        user = create_user(
            session,
            email=EXAMINER.email,
            display_name=EXAMINER.name,
            password=DEMO_PASSWORD,
            now=now,
            verified=True,
        )
        ids[EXAMINER.email] = user.id
        appointment = services.appoint(
            session,
            actor_id=ids[PEOPLE[0].email],
            neighbourhood_id=get_neighbourhood(session, DEMO_SLUG).id,
            terms=services.Terms(EXAMINER.email, EXAMINER.name, first, last),
            period_days=period,
            now=now - timedelta(days=2),
            today=today,
            signer=signer,
        )
        token = signer.sign(INVITE_PURPOSE, {"a": appointment.id, "e": appointment.email}, now)
        services.accept(session, user_id=user.id, token=token, now=now, today=today, signer=signer)
