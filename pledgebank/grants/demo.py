"""Demo grants for Elm Park: an open round with applications at every stage, for walking the committee's work.

- "Seed library" (Li): a draft only Li sees.
- "Street party on Oak Road" (Sofia, for a group): submitted, nobody has looked at it yet.
- "Bulbs for the verges" (Ben): under review. Aisha declared no interest and scored it, Gareth declared a
  conflict, Tom declared no interest but has not scored: sign in as Tom and score it, and the quorum is met;
  then Priya (the chair) declares, and records the decision.
- "Youth football kit" (Sofia, for Elm Park Juniors): awarded and paid.
- "Benches for the community garden" (Li, for the garden group): paid and reported with £20 unspent, which the
  treasurer (Tom) can record as returned.

The two groups awarded grants give a charity or a company number and a postcode, and Elm Park has its ward's
ONS code (neighbourhoods.demo), so the 360Giving export of the demo passes 360Giving's data-quality checks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.grants import applications, decisions, payments, reports, reviews, rounds
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.rounds import RoundTerms
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood


def seed_grants(app: Flask, ids: dict[str, int]) -> None:
    """Load the demo round and its applications (people by email, as accounts.demo made them)."""
    now = app.extensions["pledgebank.clock"].now()
    zone = app.config["TIMEZONE"]
    threshold = app.config["GRANT_SECOND_APPROVAL_ABOVE"]
    chair, tom, aisha, gareth = (ids[f"{who}@example.org"] for who in ("priya", "tom", "aisha", "gareth"))
    ben, sofia, li = (ids[f"{who}@example.org"] for who in ("ben", "sofia", "li"))
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        _gift(session, place.id, now)
        grant_round = rounds.create_round(
            session,
            actor_id=chair,
            neighbourhood=place,
            now=now,
            terms=RoundTerms(
                fund_slug="general",
                title="Spring small grants",
                description=f"Up to {money_words.whole(300, place.currency)} for something that makes "
                "Elm Park a better place to live: planting, play, repairs, events that bring neighbours "
                "together.",
                eligibility="Anyone who lives in Elm Park, alone or for a local group.",
                budget=100_000,
                max_award=30_000,
                opens_at=now - timedelta(days=7),
                closes_at=now + timedelta(days=21),
                criteria=[("Benefit to the neighbourhood", 3), ("Value for money", 2), ("Will it happen", 1)],
            ),
        )

        def application(who: int, title: str, summary: str, lines, group=None, submit=True, **numbers):
            found = applications.create_application(
                session,
                actor_id=who,
                grant_round=grant_round,
                now=now,
                terms=ApplicationTerms(title, summary, sum(a for _, a in lines), lines, group, **numbers),
            )
            if submit:
                applications.submit_application(session, actor_id=who, application=found, now=now)
            return found.id

        def review(application_id: int, member: int, score: int) -> None:
            reviews.declare_interest(
                session, actor_id=member, application_id=application_id, interest="none", reason="", now=now
            )
            reviews.submit_review(
                session,
                actor_id=member,
                application_id=application_id,
                scores={c.id: score for c in grant_round.criteria},
                recommendation="award",
                recommended_amount=None,
                comment="",
                now=now,
            )

        application(
            li,
            "Seed library",
            "A shelf of swap-able seed packets in the library foyer.",
            [("Shelf", 4_000), ("Envelopes and labels", 1_000)],
            submit=False,
        )
        application(
            sofia,
            "Street party on Oak Road",
            "A street party in June with games for the children and a shared table.",
            [("Road closure notice", 5_000), ("Games and bunting", 7_500)],
            group="Oak Road Residents",
        )
        bulbs = application(
            ben,
            "Bulbs for the verges",
            "Crocus and daffodil bulbs along Victoria Road, planted by volunteers in October.",
            [("Bulbs", 9_000), ("Compost and trowels", 3_000)],
        )
        review(bulbs, aisha, 4)
        reviews.declare_interest(
            session,
            actor_id=gareth,
            application_id=bulbs,
            interest="conflict",
            reason="Ben is my next-door neighbour and we garden together.",
            now=now,
        )
        reviews.declare_interest(
            session, actor_id=tom, application_id=bulbs, interest="none", reason="", now=now
        )

        kit = application(
            sofia,
            "Youth football kit",
            "Shirts and balls for the Saturday under-11s team that plays in Elm Park.",
            [("Shirts", 18_000), ("Balls", 7_000)],
            group="Elm Park Juniors",
            charity_number="1100123",
            postcode="SE15 4QL",
        )
        benches = application(
            li,
            "Benches for the community garden",
            "Two benches so that older neighbours can sit in the community garden.",
            [("Two benches", 16_000), ("Fixings", 4_000)],
            group="Elm Park Community Garden",
            company_number="09876543",
            postcode="SE15 3AB",
        )
        for grant in (kit, benches):
            for member, score in ((aisha, 4), (tom, 5), (chair, 4)):
                review(grant, member, score)
            decisions.decide(
                session, actor_id=chair, application_id=grant, outcome="award", now=now, zone=zone
            )
            payments.record_payment(
                session,
                actor_id=tom,
                application_id=grant,
                paid_on=now.date(),
                method="bank_transfer",
                reference=f"EP-GRANT-{grant}",
                threshold=threshold,
                now=now,
                zone=zone,
            )
        reports.submit_report(
            session,
            actor_id=li,
            application_id=benches,
            amount_spent=18_000,
            what_happened="Two oak benches are in by the raised beds; the fixings cost less than we thought.",
            rating=5,
            now=now,
        )


def _gift(session: Session, neighbourhood_id: int, now: datetime) -> None:
    """A donation to the general fund by bank transfer, so the round has money to award."""
    book = book_of(session, neighbourhood_id)
    entry = rules.cash_received(
        amount=Money(150_000, book.currency),
        fund="general",
        income_source="donations",
        key="demo:grants:gift",
        on=now.date() - timedelta(days=10),
        source={"demo": "grants-gift"},
        into=chart.BANK,
    )
    post(session, book=book, entry=entry, now=now)
