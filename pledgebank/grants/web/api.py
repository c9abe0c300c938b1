"""API: grant rounds, applications (your own, or all of them for the committee), decisions, the public list of
awards, and each fund's money."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import url_for
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.books.services import book_of
from pledgebank.grants import access, applications, funds, queries, rounds
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.grants.rounds import RoundTerms
from pledgebank.grants.web.schemas import (
    ApplicationCreateSchema,
    ApplicationSchema,
    AwardSchema,
    DecisionSchema,
    FundMoneySchema,
    RoundCreateSchema,
    RoundSchema,
)
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.web.session import db_session, now, transaction

blp = Blueprint("grants_api", __name__, url_prefix="/api/v1", description="Micro-grants")
_SECURED: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def _round(session, grant_round: GrantRound) -> dict[str, Any]:
    return {
        **{name: getattr(grant_round, name) for name in RoundSchema().fields if hasattr(GrantRound, name)},
        "neighbourhood": session.get(Neighbourhood, grant_round.neighbourhood_id).slug,
        "fund": grant_round.fund.slug,
        "criteria": [{"name": c.name, "weight": c.weight} for c in grant_round.criteria],
        "remaining": rounds.remaining(session, grant_round),
        "url": url_for("grants.show_round", round_id=grant_round.id, _external=True),
    }


def _decisions(session, application: GrantApplication) -> list[dict[str, Any]]:
    sequences = queries.sequences(session, [d.transaction_id for d in application.decisions])
    return [
        {
            **{name: getattr(d, name) for name in DecisionSchema().fields if hasattr(d, name)},
            "ledger_sequence": sequences.get(d.transaction_id) if d.transaction_id is not None else None,
        }
        for d in application.decisions
    ]


def _application(session, application: GrantApplication) -> dict[str, Any]:
    return {
        **{
            name: getattr(application, name)
            for name in ApplicationSchema().fields
            if hasattr(GrantApplication, name)
        },
        "budget_lines": [
            {"description": b.description, "amount": b.amount} for b in application.budget_lines
        ],
        "decisions": _decisions(session, application),
        "url": url_for("grants.show_application", application_id=application.id, _external=True),
    }


@blp.get("/neighbourhoods/<slug>/grant-rounds")
@blp.response(200, RoundSchema(many=True))
def list_rounds(slug: str):
    """A neighbourhood's grant rounds, latest closing first."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    return [_round(session, r) for r in rounds.list_rounds(session, neighbourhood_id=neighbourhood.id)]


@blp.post("/neighbourhoods/<slug>/grant-rounds")
@blp.arguments(RoundCreateSchema)
@blp.response(201, RoundSchema)
@blp.doc(security=_SECURED)
def create_round(data: dict[str, Any], slug: str):
    """Open a grant round (committee). Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        grant_round = rounds.create_round(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhoods.get_neighbourhood(session, slug),
            terms=RoundTerms(
                fund_slug=data["fund"],
                title=data["title"],
                description=data["description"],
                eligibility=data["eligibility"],
                budget=data["budget"],
                max_award=data["max_award"],
                opens_at=data["opens_at"].astimezone(UTC),
                closes_at=data["closes_at"].astimezone(UTC),
                criteria=[(c["name"], c["weight"]) for c in data["criteria"]],
                quorum_rule=data["quorum_rule"],
                quorum_minimum=data["quorum_minimum"],
                project_months=data["project_months"],
            ),
            now=now(),
        )
    return _round(db_session(), grant_round)


@blp.get("/grant-rounds/<int:round_id>")
@blp.response(200, RoundSchema)
def get_round(round_id: int):
    """One grant round with its criteria and what is left of its budget."""
    session = db_session()
    return _round(session, rounds.get_round(session, round_id))


@blp.get("/neighbourhoods/<slug>/grant-applications")
@blp.response(200, ApplicationSchema(many=True))
@blp.doc(security=_SECURED)
def list_applications(slug: str):
    """Your own applications; the committee, treasurer and chair see every submitted one."""
    session, user_id = db_session(), api_user_id()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    found = applications.list_applications(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    return [_application(session, a) for a in found]


@blp.post("/grant-rounds/<int:round_id>/applications")
@blp.arguments(ApplicationCreateSchema)
@blp.response(201, ApplicationSchema)
@blp.doc(security=_SECURED)
def create_application(data: dict[str, Any], round_id: int):
    """Start a draft application (members). Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        application = applications.create_application(
            session,
            actor_id=user_id,
            grant_round=rounds.get_round(session, round_id),
            terms=ApplicationTerms(
                title=data["title"],
                summary=data["summary"],
                amount_requested=data["amount_requested"],
                budget_lines=[(b["description"], b["amount"]) for b in data["budget_lines"]],
                group_name=data["group_name"],
                charity_number=data["charity_number"],
                company_number=data["company_number"],
                postcode=data["postcode"],
            ),
            now=now(),
        )
    return _application(db_session(), application)


@blp.get("/grant-applications/<int:application_id>")
@blp.response(200, ApplicationSchema)
@blp.doc(security=_SECURED)
def get_application(application_id: int):
    """One application, for its applicant and the neighbourhood's officers (drafts: the applicant only)."""
    session, user_id = db_session(), api_user_id()
    application = applications.get_application(session, application_id)
    access.require_view(session, application, user_id)
    return _application(session, application)


@blp.post("/grant-applications/<int:application_id>/submit")
@blp.response(200, ApplicationSchema)
@blp.doc(security=_SECURED)
def submit_application(application_id: int):
    """Send a draft to the committee (its applicant). Needs a read-write token."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        application = applications.submit_application(
            session,
            actor_id=user_id,
            application=applications.get_application(session, application_id),
            now=now(),
        )
    return _application(db_session(), application)


@blp.get("/neighbourhoods/<slug>/grant-decisions")
@blp.response(200, DecisionSchema(many=True))
@blp.doc(security=_SECURED)
def list_decisions(slug: str):
    """Decisions on the applications you may see (your own; all of them for the officers), newest first."""
    session, user_id = db_session(), api_user_id()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    visible = applications.list_applications(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    found = queries.decisions_in(session, [a.id for a in visible])
    sequences = queries.sequences(session, [d.transaction_id for d, _ in found])
    return [
        {
            **{name: getattr(d, name) for name in DecisionSchema().fields if hasattr(d, name)},
            "ledger_sequence": sequences.get(d.transaction_id) if d.transaction_id is not None else None,
        }
        for d, _ in found
    ]


@blp.get("/neighbourhoods/<slug>/grant-awards")
@blp.response(200, AwardSchema(many=True))
def list_awards(slug: str):
    """The grants awarded, as on the public page: a group is named, an individual is not."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    return queries.public_awards(session, neighbourhood_id=neighbourhood.id)


@blp.get("/neighbourhoods/<slug>/fund-balances")
@blp.response(200, FundMoneySchema(many=True))
def fund_balances(slug: str):
    """Each fund's money: received, committed to awards, paid out, card fees and available."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    book = book_of(session, neighbourhood.id)
    return [
        {**vars_of(money), "currency": book.currency} for money in funds.fund_money(session, neighbourhood.id)
    ]


def vars_of(money: funds.FundMoney) -> dict[str, Any]:
    """A fund's money as a plain mapping."""
    return {name: getattr(money, name) for name in money.__slots__}
