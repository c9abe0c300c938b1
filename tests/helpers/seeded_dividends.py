"""The seeded neighbourhood's community dividends, one for each tool form to act on: a draft for the chair to
sign, one in force for evidence and amendment, one disputed to answer, one earned to record the payment of,
one paid to close, and one with evidence waiting, with its verifier's link token for a dispute."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from pledgebank.db import unit_of_work
from pledgebank.dividends import agreements, links, outcomes, signing
from pledgebank.dividends.agreements import Draft
from pledgebank.neighbourhoods.services import get_neighbourhood

VERIFIER = ("Sam Reed", "sam.reed@fire.example")


def _draft(title: str, today) -> Draft:
    return Draft(
        title=title,
        body_name="South London Fire Service",
        body_kind="fire_service",
        fund_slug="general",
        outcome_name="Deliberate fires",
        outcome_unit="fires a year",
        direction="down",
        baseline_value=40,
        baseline_source="Fire service incident records",
        baseline_period="2025",
        target_value=30,
        deadline=today + timedelta(days=365),
        evidence_required="The fire service's count.",
        terms_kind="fixed",
        cap=100_000,
        amount=100_000,
        signatory_name="Dana Whitfield",
        signatory_email="dana.whitfield@fire.example",
        verifier_name=VERIFIER[0],
        verifier_email=VERIFIER[1],
    )


# Each tool's agreement, by name, and how far it has gone: signed, its figure, a dispute or a verdict, paid.
_STAGES = {
    "dividend draft": (False, None, None, False),
    "dividend in force": (True, None, None, False),
    "dividend disputed": (True, 28, "dispute", False),
    "dividend earned": (True, 28, "verify", False),
    "dividend paid": (True, 28, "verify", True),
    "dividend to verify": (True, 28, None, False),
}


def _advance(session, agreement, stage: tuple, people: dict[str, int], now) -> None:
    signed, figure, verdict, paid = stage
    chair, today = people["priya@example.org"], now.date()
    if signed:
        body = ("Dana Whitfield", "dana.whitfield@fire.example")
        signing.sign(
            session,
            agreement_id=agreement.id,
            party="body",
            email=body[1],
            name=body[0],
            user_id=None,
            signed_hash=agreement.terms_hash,
            now=now,
        )
        signing.sign_for_neighbourhood(
            session, actor_id=chair, agreement_id=agreement.id, signed_hash=agreement.terms_hash, now=now
        )
    if figure is not None:
        outcomes.submit_evidence(
            session,
            actor_id=chair,
            agreement_id=agreement.id,
            period="2026",
            value=figure,
            notes="",
            now=now,
            today=today,
        )
    who = {"agreement_id": agreement.id, "email": VERIFIER[1], "name": VERIFIER[0], "now": now}
    if verdict == "dispute":
        outcomes.dispute(session, reasons="Missing March.", **who)
    elif verdict == "verify":
        outcomes.verify(session, today=today, **who)
    if paid:
        treasurer = people["tom@example.org"]
        outcomes.record_payment(
            session,
            actor_id=treasurer,
            agreement_id=agreement.id,
            paid_on=today,
            reference="SLFS",
            now=now,
            today=today,
        )


def seed_dividend_tools(app: Flask, people: dict[str, int], slug: str, now) -> dict[str, int | str]:
    """The agreements, by tool name, and the verifier's token for the one to verify."""
    chair, today, signer = people["priya@example.org"], now.date(), app.extensions["pledgebank.signer"]
    ids: dict[str, int | str] = {}
    for name, stage in _STAGES.items():
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            place = get_neighbourhood(session, slug)
            made = agreements.draft_agreement(
                session,
                actor_id=chair,
                neighbourhood=place,
                draft=_draft(name, today),
                signer=signer,
                now=now,
                today=today,
            )
            ids[name] = made.id
            _advance(session, made, stage, people, now)
            if name == "dividend to verify":
                ids["dividend verifier token"] = links.link_token(signer, made, VERIFIER[1], now)
    return ids
