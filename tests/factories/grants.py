"""Helpers for grant tests: a neighbourhood with a committee, money in a fund, and each step of the grant
workflow done through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.grants import amendments, applications, decisions, payments, reports, reviews, rounds
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.models import GrantApplication
from pledgebank.grants.rounds import RoundTerms
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.pledges import quick_user
from tests.helpers.app import add_member, make_neighbourhood

ZONE = "Europe/London"
THRESHOLD = 50_000


@dataclass(frozen=True, slots=True)
class World:
    """A neighbourhood: its chair, a treasurer (not on the committee), committee members and residents."""

    slug: str
    neighbourhood_id: int
    chair: int
    treasurer: int
    members: list[int]
    residents: list[int]

    @property
    def committee(self) -> list[int]:
        """The chair and the committee members."""
        return [self.chair, *self.members]


def world(
    sessions, *, members: int = 2, residents: int = 2, prefix: str = "", name: str = "Elm Park"
) -> World:
    """A neighbourhood of {prefix}chair@, {prefix}treasurer@, {prefix}member{n}@, {prefix}resident{n}@."""
    chair = quick_user(sessions, f"{prefix}chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair, name=name)
    treasurer = quick_user(sessions, f"{prefix}treasurer@example.org", "Treasurer Person")
    add_member(sessions, slug, treasurer, "treasurer")
    member_ids, resident_ids = [], []
    for n in range(members):
        member_ids.append(quick_user(sessions, f"{prefix}member{n}@example.org", f"Member {n}"))
        add_member(sessions, slug, member_ids[-1], "committee")
    for n in range(residents):
        resident_ids.append(quick_user(sessions, f"{prefix}resident{n}@example.org", f"Resident {n}"))
        add_member(sessions, slug, resident_ids[-1])
    with unit_of_work(sessions) as session:
        neighbourhood_id = get_neighbourhood(session, slug).id
    return World(slug, neighbourhood_id, chair, treasurer, member_ids, resident_ids)


def clock_now(app):
    """The app clock's time."""
    return app.extensions["pledgebank.clock"].now()


def give_fund(app, slug: str, amount: int, *, fund: str = "general", key: str = "gift") -> None:
    """Money received by bank transfer into a fund, posted through the ledger."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_of(session, get_neighbourhood(session, slug).id)
        entry = rules.cash_received(
            amount=Money(amount, "GBP"),
            fund=fund,
            income_source="donations",
            key=f"test:{key}",
            on=now.date(),
            source={"test": key},
            into=chart.BANK,
        )
        post(session, book=book, entry=entry, now=now)


def round_terms(now, **changes) -> RoundTerms:
    """A round open now for four weeks: £1,000 budget, £500 largest award, two criteria."""
    values = {
        "fund_slug": "general",
        "title": "Spring small grants",
        "description": "Small grants for things that make the neighbourhood better.",
        "budget": 100_000,
        "max_award": 50_000,
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=28),
        "eligibility": "Residents and local groups.",
        "criteria": [("Benefit to the neighbourhood", 3), ("Value for money", 1)],
        "quorum_rule": "majority",
        "quorum_minimum": 2,
    }
    values.update(changes)
    return RoundTerms(**values)


def make_round(app, w: World, **changes) -> int:
    """Open a round as the chair; return its id."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, w.slug)
        return rounds.create_round(
            session, actor_id=w.chair, neighbourhood=place, terms=round_terms(now, **changes), now=now
        ).id


def application_terms(
    amount: int = 20_000, *, group: str | None = None, title: str = "Bulbs for the verges", **numbers
):
    """An application asking for amount, in two budget lines that add up to it (`numbers`: a group's
    charity_number, company_number and postcode)."""
    return ApplicationTerms(
        title=title,
        summary="Two hundred crocus bulbs planted along the verges of Victoria Road by volunteers.",
        amount_requested=amount,
        budget_lines=[("Bulbs", amount - amount // 4), ("Tools and compost", amount // 4)],
        group_name=group,
        **numbers,
    )


def apply(app, round_id: int, applicant: int, amount: int = 20_000, *, submit: bool = True, **kwargs) -> int:
    """Draft (and by default submit) an application; return its id."""
    now = clock_now(app)
    sessions = app.extensions["pledgebank.sessions"]
    with unit_of_work(sessions) as session:
        application = applications.create_application(
            session,
            actor_id=applicant,
            grant_round=rounds.get_round(session, round_id),
            terms=application_terms(amount, **kwargs),
            now=now,
        )
        if submit:
            applications.submit_application(session, actor_id=applicant, application=application, now=now)
        return application.id


def declare(app, application_id: int, member: int, interest: str = "none", reason: str = "") -> None:
    """A committee member declares their interest."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        reviews.declare_interest(
            session,
            actor_id=member,
            application_id=application_id,
            interest=interest,
            reason=reason,
            now=clock_now(app),
        )


def score(app, application_id: int, member: int, value: int = 4, recommendation: str = "award") -> None:
    """A committee member scores every criterion `value` and recommends an outcome."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        criteria = applications.get_application(session, application_id).round.criteria
        reviews.submit_review(
            session,
            actor_id=member,
            application_id=application_id,
            scores={c.id: value for c in criteria},
            recommendation=recommendation,
            recommended_amount=None,
            comment="",
            now=clock_now(app),
        )


def reviewed(app, application_id: int, members: list[int]) -> None:
    """Each member declares no interest and scores the application."""
    for member in members:
        declare(app, application_id, member)
        score(app, application_id, member)


def decide(app, application_id: int, actor: int, outcome: str = "award", **kwargs):
    """Record a decision; return the decision's id."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return decisions.decide(
            session,
            actor_id=actor,
            application_id=application_id,
            outcome=outcome,
            now=clock_now(app),
            zone=ZONE,
            **kwargs,
        ).id


def reduce(app, application_id: int, actor: int, amount: int, reason: str = "Costs came in lower.") -> int:
    """Lower an award; return the new decision's id."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return amendments.reduce_award(
            session,
            actor_id=actor,
            application_id=application_id,
            amount=amount,
            reason=reason,
            now=clock_now(app),
            zone=ZONE,
        ).id


def pay(
    app, application_id: int, treasurer: int, *, method: str = "bank_transfer", threshold: int = THRESHOLD
):
    """The treasurer records paying the award today; return the payment's status."""
    now = clock_now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return payments.record_payment(
            session,
            actor_id=treasurer,
            application_id=application_id,
            paid_on=now.date(),
            method=method,
            reference="" if method == "cash" else "GRANT-REF-1",
            threshold=threshold,
            now=now,
            zone=ZONE,
        ).status


def approve(app, application_id: int, member: int) -> str:
    """A second member approves the payment; return its status."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return payments.approve_payment(
            session, actor_id=member, application_id=application_id, now=clock_now(app)
        ).status


def report(app, application_id: int, grantee: int, spent: int, rating: int = 4) -> int:
    """The grantee reports; return the unspent amount."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return reports.submit_report(
            session,
            actor_id=grantee,
            application_id=application_id,
            amount_spent=spent,
            what_happened="The bulbs are in and flowered in March; twelve neighbours helped.",
            rating=rating,
            now=clock_now(app),
        ).unspent


def record_return(app, application_id: int, treasurer: int, into: str = "bank") -> None:
    """The treasurer has the unspent money back."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        reports.record_return(
            session,
            actor_id=treasurer,
            application_id=application_id,
            into=into,
            now=clock_now(app),
            zone=ZONE,
        )


def status(app, application_id: int) -> str:
    """The application's status now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(GrantApplication, application_id).status


def transactions(app, kind: str | None = None) -> list[LedgerTransaction]:
    """The ledger's transactions (of one kind), in sequence order."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        statement = select(LedgerTransaction).order_by(LedgerTransaction.sequence)
        if kind is not None:
            statement = statement.where(LedgerTransaction.kind == kind)
        return list(session.scalars(statement))


def today(app) -> date:
    """The app clock's date (UTC and London agree at the tests' start)."""
    return clock_now(app).date()
