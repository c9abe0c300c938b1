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

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.grants import applications, decisions, payments, reports, reviews, rounds
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.models import GrantRound
from pledgebank.grants.rounds import RoundTerms
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.neighbourhoods.services import get_neighbourhood


def seed_grants(app: Flask, ids: dict[str, int]) -> None:
    """Load the demo round and its applications (people by email, as accounts.demo made them)."""
    now = app.extensions["pledgebank.clock"].now()
    people = {
        who: ids[f"{who}@example.org"] for who in ("priya", "tom", "aisha", "gareth", "ben", "sofia", "li")
    }
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        _gift(session, place.id, now)
        seed = _Seed(
            session, now, app.config["TIMEZONE"], people, _round(session, place, people["priya"], now)
        )
        seed.application(
            "li",
            "Seed library",
            "A shelf of swap-able seed packets in the library foyer.",
            [("Shelf", 4_000), ("Envelopes and labels", 1_000)],
            submit=False,
        )
        seed.application(
            "sofia",
            "Street party on Oak Road",
            "A street party in June with games for the children and a shared table.",
            [("Road closure notice", 5_000), ("Games and bunting", 7_500)],
            group="Oak Road Residents",
        )
        seed.under_review()
        seed.awarded_and_paid(app.config["GRANT_SECOND_APPROVAL_ABOVE"])


def _round(session: Session, place: Neighbourhood, chair: int, now: datetime) -> GrantRound:
    return rounds.create_round(
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


@dataclass
class _Seed:
    """The demo round's applications, made, reviewed, decided and paid by the demo's people (by name)."""

    session: Session
    now: datetime
    zone: str
    people: dict[str, int]
    grant_round: GrantRound

    def application(
        self,
        who: str,
        title: str,
        summary: str,
        lines: list[tuple[str, int]],
        group: str | None = None,
        submit: bool = True,
        **numbers: str,
    ) -> int:
        found = applications.create_application(
            self.session,
            actor_id=self.people[who],
            grant_round=self.grant_round,
            now=self.now,
            terms=ApplicationTerms(title, summary, sum(a for _, a in lines), lines, group, **numbers),
        )
        if submit:
            applications.submit_application(
                self.session, actor_id=self.people[who], application=found, now=self.now
            )
        return found.id

    def declare(self, application_id: int, who: str, interest: str = "none", reason: str = "") -> None:
        reviews.declare_interest(
            self.session,
            actor_id=self.people[who],
            application_id=application_id,
            interest=interest,
            reason=reason,
            now=self.now,
        )

    def review(self, application_id: int, who: str, score: int) -> None:
        self.declare(application_id, who)
        reviews.submit_review(
            self.session,
            actor_id=self.people[who],
            application_id=application_id,
            scores={c.id: score for c in self.grant_round.criteria},
            recommendation="award",
            recommended_amount=None,
            comment="",
            now=self.now,
        )

    def under_review(self) -> None:
        """Ben's bulbs: Aisha scored, Gareth has a conflict, Tom declared but has not scored."""
        bulbs = self.application(
            "ben",
            "Bulbs for the verges",
            "Crocus and daffodil bulbs along Victoria Road, planted by volunteers in October.",
            [("Bulbs", 9_000), ("Compost and trowels", 3_000)],
        )
        self.review(bulbs, "aisha", 4)
        self.declare(bulbs, "gareth", "conflict", "Ben is my next-door neighbour and we garden together.")
        self.declare(bulbs, "tom")

    def awarded_and_paid(self, threshold: int) -> None:
        """The football kit and the benches: awarded and paid; the benches reported on, with money unspent."""
        kit = self.application(
            "sofia",
            "Youth football kit",
            "Shirts and balls for the Saturday under-11s team that plays in Elm Park.",
            [("Shirts", 18_000), ("Balls", 7_000)],
            group="Elm Park Juniors",
            charity_number="1100123",
            postcode="SE15 4QL",
        )
        benches = self.application(
            "li",
            "Benches for the community garden",
            "Two benches so that older neighbours can sit in the community garden.",
            [("Two benches", 16_000), ("Fixings", 4_000)],
            group="Elm Park Community Garden",
            company_number="09876543",
            postcode="SE15 3AB",
        )
        chair, tom = self.people["priya"], self.people["tom"]
        for grant in (kit, benches):
            for member, score in (("aisha", 4), ("tom", 5), ("priya", 4)):
                self.review(grant, member, score)
            decisions.decide(
                self.session,
                actor_id=chair,
                application_id=grant,
                outcome="award",
                now=self.now,
                zone=self.zone,
            )
            payments.record_payment(
                self.session,
                actor_id=tom,
                application_id=grant,
                paid_on=self.now.date(),
                method="bank_transfer",
                reference=f"EP-GRANT-{grant}",
                threshold=threshold,
                now=self.now,
                zone=self.zone,
            )
        reports.submit_report(
            self.session,
            actor_id=self.people["li"],
            application_id=benches,
            amount_spent=18_000,
            what_happened="Two oak benches are in by the raised beds; the fixings cost less than we thought.",
            rating=5,
            now=self.now,
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
