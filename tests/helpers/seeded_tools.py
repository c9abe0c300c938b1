"""The seeded neighbourhood's extra rows, one for each tool form to act on without stepping on another's:
pledges to edit and to cancel, a cash pledge waiting for its money, a sponsor who owes, grant applications
under review, awarded, deferred, paid and reported, unpaid levy charges, a hardship request waiting, a
captured card payment to refund, and a resident who owes nothing, to close their account."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from pledgebank import demo
from pledgebank.accounts.services import create_user
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.documents import samples
from pledgebank.documents.models import Subject
from pledgebank.documents.services import attach_document
from pledgebank.documents.storage import app_store
from pledgebank.grants import applications, decisions, reviews
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.models import GrantApplication, GrantPayment, GrantRound
from pledgebank.jobs import payments_context
from pledgebank.ledger import chart
from pledgebank.levies import hardship
from pledgebank.levies.models import HouseholdResident, LevyCharge
from pledgebank.levies.states import UNPAID
from pledgebank.neighbourhoods.services import get_neighbourhood, join_neighbourhood
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges import cards, comments, extras, signups
from pledgebank.pledges import jobs as pledge_jobs
from pledgebank.pledges.models import MatchOffer, Pledge, PledgeSignup
from pledgebank.pledges.services import PledgeTerms, create_pledge, get_pledge
from pledgebank.statements import imports, matching
from pledgebank.statements.demo import LAYOUT as DEMO_LAYOUT
from pledgebank.statements.demo import statement_of_books
from pledgebank.statements.models import LineState, StatementLine
from tests.helpers.seeded_dividends import seed_dividend_tools

CHAIR, TREASURER = "priya@example.org", "tom@example.org"
COMMITTEE = ("priya@example.org", "tom@example.org", "aisha@example.org")
LEAVER = "leaver@example.org"


def _pledge(session, place, actor: int, title: str, start, **terms) -> Pledge:
    values = {
        "fund_slug": "general",
        "title": title,
        "description": f"{title}, for the neighbourhood.",
        "amount_kind": "fixed",
        "amount": 1_000,
        "target_pledgers": 10,
        "target_amount": None,
        "deadline": start + timedelta(days=20),
    }
    return create_pledge(
        session, actor_id=actor, neighbourhood=place, now=start, terms=PledgeTerms(**(values | terms))
    )


def _seed_pledges(app: Flask, people: dict[str, int], slug: str, now) -> dict[str, int]:
    """A pledge to edit, one to cancel, a cash pledge to record, and a succeeded pledge whose sponsor owes."""
    sessions, zone = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"]
    chair, treasurer = people[CHAIR], people[TREASURER]
    before = now - timedelta(days=5)
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, slug)
        ids = {
            "pledge to edit": _pledge(session, place, chair, "Repaint the noticeboard", now).id,
            "pledge to cancel": _pledge(session, place, chair, "Hire a skip", now).id,
        }
        trees = session.scalar(select(Pledge).where(Pledge.title == "Plant twenty street trees"))
        ids["cash pledge"] = trees.id
        ids["cash signup"] = signups.sign(
            session,
            actor_id=people["gareth@example.org"],
            pledge=trees,
            amount=600,
            method="cash",
            card_payments=False,
            now=now,
        ).id
        ids["comment to hide"] = comments.add_comment(
            session,
            actor_id=people["gareth@example.org"],
            pledge=trees,
            body="Which streets will the trees go on?",
            parent_id=None,
            now=now,
        ).id
        won = _pledge(session, place, chair, "Buy a defibrillator", before, target_pledgers=1)
        ids["sponsored pledge"] = won.id
        ids["owed offer"] = extras.add_match_offer(
            session,
            actor_id=chair,
            pledge=won,
            sponsor_name="Elm Park Pharmacy",
            ratio="1:1",
            cap=5_000,
            now=before,
        ).id
        cash = signups.sign(
            session,
            actor_id=people["aisha@example.org"],
            pledge=won,
            amount=None,
            method="cash",
            card_payments=False,
            now=before,
        )
        signups.record_cash(
            session, actor_id=treasurer, signup_id=cash.id, into=chart.CASH, now=before, zone=zone
        )
    pledge_jobs.run_due(payments_context(app), now=before + timedelta(days=3))
    with unit_of_work(sessions) as session:
        assert session.get(MatchOffer, ids["owed offer"]).status == "owed"
        assert get_pledge(session, ids["pledge to edit"]).status == "open"
    return ids


def _seed_card_payment(app: Flask, people: dict[str, int], slug: str, now) -> dict[str, str]:
    """A pledge that succeeded ten days ago with one card payment, captured, for the treasurer to refund."""
    sessions, ctx = app.extensions["pledgebank.sessions"], payments_context(app)
    start, resident = now - timedelta(days=10), people["ben@example.org"]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, slug)
        pledge = _pledge(session, place, people[CHAIR], "Buy litter pickers", start, target_pledgers=1)
        signup_id = signups.sign(
            session,
            actor_id=resident,
            pledge=pledge,
            amount=None,
            method="card",
            card_payments=True,
            now=start,
        ).id
    cards.use_test_card(
        ctx,
        signup_id=signup_id,
        user_id=resident,
        card=TestCard.SUCCEEDS,
        return_url="http://localhost",
        now=start,
    )
    pledge_jobs.run_due(ctx, now=start + timedelta(days=1))
    pledge_jobs.run_due(ctx, now=start + timedelta(days=5))
    with unit_of_work(sessions) as session:
        signup = session.get(PledgeSignup, signup_id)
        assert signup.status == "captured", signup.status
        return {"card payment": signup.payment_intent_id}


def _seed_grants(app: Flask, people: dict[str, int], now) -> dict[str, int]:
    """Applications for each of the committee's tools: to decide, to reduce, to pay, and deferred."""
    zone, chair = app.config["TIMEZONE"], people[CHAIR]
    ids: dict[str, int] = {}
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        grant_round = session.scalars(select(GrantRound)).one()
        for key, who in (
            ("application to decide", "ben@example.org"),
            ("award to reduce", "ben@example.org"),
            ("award to pay", "li@example.org"),
            ("deferred application", "li@example.org"),
        ):
            found = applications.create_application(
                session,
                actor_id=people[who],
                grant_round=grant_round,
                now=now,
                terms=ApplicationTerms(key.capitalize(), f"A small project: {key}.", 5_000, [("All", 5_000)]),
            )
            applications.submit_application(session, actor_id=people[who], application=found, now=now)
            for member in COMMITTEE:
                reviews.declare_interest(
                    session,
                    actor_id=people[member],
                    application_id=found.id,
                    interest="none",
                    reason="",
                    now=now,
                )
                reviews.submit_review(
                    session,
                    actor_id=people[member],
                    application_id=found.id,
                    scores={c.id: 4 for c in grant_round.criteria},
                    recommendation="award",
                    recommended_amount=None,
                    comment="",
                    now=now,
                )
            ids[key] = found.id
        for key in ("award to reduce", "award to pay"):
            decisions.decide(
                session, actor_id=chair, application_id=ids[key], outcome="award", now=now, zone=zone
            )
        decisions.decide(
            session,
            actor_id=chair,
            application_id=ids["deferred application"],
            outcome="defer",
            reason="Ask again when the quotes are in.",
            defer_until=(now + timedelta(days=30)).date(),
            now=now,
            zone=zone,
        )
        titles = {
            "submitted application": "Street party on Oak Road",
            "application under review": "Bulbs for the verges",
            "paid award": "Youth football kit",
            "reported award": "Benches for the community garden",
        }
        for number, criterion in enumerate(grant_round.criteria, start=1):
            ids[f"criterion {number}"] = criterion.id
        for key, title in titles.items():
            ids[key] = session.scalar(select(GrantApplication.id).where(GrantApplication.title == title))
        ids["paid grant payment"] = session.scalar(
            select(GrantPayment.id).where(GrantPayment.application_id == ids["paid award"])
        )
        ids["document to withdraw"] = attach_document(
            session,
            app_store(app),
            actor_id=people[TREASURER],
            subject=Subject.GRANT_PAYMENT,
            subject_id=ids["paid grant payment"],
            kind="invoice",
            filename="kit-invoice.pdf",
            data=samples.pdf(["Invoice: youth football kit"]),
            form_key="seeded-tools-document-0001",
            max_bytes=app.config["DOCUMENT_MAX_BYTES"],
            now=now,
        ).id
    return ids


def _unpaid_charge(session, user_id: int) -> int:
    """The oldest charge of the person's household still waiting for payment."""
    household = select(HouseholdResident.household_id).where(HouseholdResident.user_id == user_id)
    return session.scalars(
        select(LevyCharge.id)
        .where(LevyCharge.household_id.in_(household), LevyCharge.status.in_([s.value for s in UNPAID]))
        .order_by(LevyCharge.period_start)
    ).first()


def _seed_levies(app: Flask, people: dict[str, int], now) -> dict[str, int]:
    """An unpaid charge to ask about, one to record cash for, and a hardship request waiting."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        sofia = people["sofia@example.org"]
        ids = {
            "charge to ask about": _unpaid_charge(session, people["li@example.org"]),
            "charge to record": _unpaid_charge(session, people["gareth@example.org"]),
        }
        ids["hardship request"] = hardship.request_hardship(
            session,
            actor_id=sofia,
            charge_id=_unpaid_charge(session, sofia),
            reason="My hours were cut this winter and the rent went up.",
            amount=None,
            now=now,
        ).id
    return ids


def _seed_leaver(app: Flask, slug: str, now) -> dict[str, int]:
    """A resident who owes and holds nothing, to close their account."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        user = create_user(
            session,
            email=LEAVER,
            display_name="Lee Leaver",
            password=demo.DEMO_PASSWORD,
            now=now,
            verified=True,
        )
        join_neighbourhood(session, actor_id=user.id, neighbourhood=get_neighbourhood(session, slug), now=now)
        return {"leaver": user.id}


def _seed_statement(app: Flask, people: dict[str, int], slug: str, now) -> dict[str, int | str]:
    """A bank statement of the book's last two months, matched but for one line of interest to record; the
    bank then reconciles at its last day."""
    today = now.date()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, slug)
        book_id = book_of(session, place.id).id
        data = statement_of_books(
            session, book_id, today - timedelta(days=60), today, [(today, "CREDIT INTEREST", "INT", 42)]
        )
        treasurer = people[TREASURER]
        imports.upload(
            session,
            actor_id=treasurer,
            neighbourhood_id=place.id,
            filename="statement.csv",
            data=data,
            now=now,
            bank="Demo Bank",
            layout=DEMO_LAYOUT,
        )
        found = list(session.scalars(select(StatementLine).where(StatementLine.book_id == book_id)))
        for line_id, suggestion in matching.suggest(session, book_id, found).items():
            matching.match_line(
                session,
                actor_id=treasurer,
                neighbourhood_id=place.id,
                line_id=line_id,
                transaction_id=suggestion.movement.transaction_id,
                now=now,
            )
        interest = session.scalar(
            select(StatementLine.id).where(
                StatementLine.book_id == book_id, StatementLine.state == LineState.UNMATCHED
            )
        )
        return {"statement_line": interest, "statement_day": today.isoformat()}


def seed_tools(app: Flask, people: dict[str, int], slug: str) -> dict[str, int | str]:
    """Every extra row the tool forms act on, by name."""
    now = app.extensions["pledgebank.clock"].now()
    with app.app_context():
        return (
            _seed_pledges(app, people, slug, now)
            | _seed_card_payment(app, people, slug, now)
            | _seed_grants(app, people, now)
            | _seed_levies(app, people, now)
            | _seed_leaver(app, slug, now)
            | seed_dividend_tools(app, people, slug, now)
            | _seed_statement(app, people, slug, now)
        )
