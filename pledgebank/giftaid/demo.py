"""Demo Gift Aid for Elm Park, each step through the real services: the group records its HMRC charity
reference; Ben and Aisha make Gift Aid declarations (Ben for the past four years and the future, Aisha from
the day she declares); a month ago they each pledged £15 in cash towards bulbs for the green, which the
treasurer collected and which was kept when the pledge succeeded; Tom, the treasurer, has claimed Gift Aid on
both gifts (the claim waits for HMRC's payment, and its schedule can be downloaded). Ben has since paid £20 in
cash for hanging baskets on the parade, a gift his declaration covers, waiting for the next claim."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from pledgebank.accounts.demo import PEOPLE
from pledgebank.db import unit_of_work
from pledgebank.giftaid import claims, declarations
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.wording import as_text, declaration_words
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.context import payments_context
from pledgebank.pledges import jobs, signups
from pledgebank.pledges.services import PledgeTerms, create_pledge, get_pledge

HMRC_REFERENCE = "EP12345"
DONORS = (
    ("ben@example.org", Scope.PAST_FOUR_YEARS, declarations.Donor("Mr", "Ben", "Clarke", "14", "SE15 4QL")),
    ("aisha@example.org", Scope.FROM_TODAY, declarations.Donor("", "Aisha", "Rahman", "3", "SE15 4QN")),
)
BULBS_TERMS = {
    "title": "Bulbs for the green",
    "action": "plant spring bulbs on the green",
    "description": "Crocuses and daffodils along the paths of the green, planted by volunteers.",
    "amount": 1500,
    "target_pledgers": 2,
}
BASKETS_TERMS = {
    "title": "Hanging baskets for the parade",
    "action": "hang flower baskets along the parade of shops",
    "description": "Six hanging baskets on the lamp posts of the parade, watered by the shopkeepers.",
    "amount": 2000,
    "target_pledgers": 1,
}


def seed_giftaid(app: Flask, ids: dict[str, int]) -> None:
    """The reference, the two declarations, the bulbs pledge paid in cash a month ago, and the claim."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    now = app.extensions["pledgebank.clock"].now()
    then = now - timedelta(days=35)
    treasurer = ids[PEOPLE[1].email]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        declarations.set_charity_reference(
            session, actor_id=treasurer, neighbourhood=place, reference=HMRC_REFERENCE, now=then
        )
        for email, scope, donor in DONORS:
            words = as_text(declaration_words(scope, charity=place.name))
            day = then.astimezone(ZoneInfo(zone)).date()
            declarations.declare(
                session,
                user_id=ids[email],
                neighbourhood=place,
                scope=scope,
                donor=donor,
                wording=words,
                now=then,
                today=day,
            )
    _cash_pledge(app, ids, BULBS_TERMS, [email for email, _s, _d in DONORS], then)
    kept = (then + timedelta(days=4)).astimezone(ZoneInfo(zone)).date()
    local = now.astimezone(ZoneInfo(zone)).date()
    with unit_of_work(sessions) as session:
        claims.make_claim(
            session,
            actor_id=treasurer,
            neighbourhood=get_neighbourhood(session, DEMO_SLUG),
            start=(then - timedelta(days=1)).astimezone(ZoneInfo(zone)).date(),
            end=kept,
            now=now,
            today=local,
        )
    _cash_pledge(app, ids, BASKETS_TERMS, ["ben@example.org"], now - timedelta(days=15))


def _cash_pledge(app: Flask, ids: dict[str, int], terms: dict, donors: list[str], then: datetime) -> None:
    """A pledge made `then`, paid in cash by the donors at once and kept when it succeeds four days later."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    chair, treasurer = ids[PEOPLE[0].email], ids[PEOPLE[1].email]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        pledge_id = create_pledge(
            session,
            actor_id=chair,
            neighbourhood=place,
            now=then,
            terms=PledgeTerms(
                **terms,
                fund_slug=None,
                amount_kind="fixed",
                target_amount=None,
                deadline=then + timedelta(days=3),
            ),
        ).id
        for email in donors:
            signup = signups.sign(
                session,
                actor_id=ids[email],
                pledge=get_pledge(session, pledge_id),
                amount=None,
                method="cash",
                card_payments=False,
                now=then,
            )
            signups.record_cash(
                session, actor_id=treasurer, signup_id=signup.id, into=chart.CASH, now=then, zone=zone
            )
    ctx = payments_context(app)
    jobs.run_due(ctx, now=then + timedelta(minutes=1))
    jobs.run_due(ctx, now=then + timedelta(days=4))
