"""Helpers for community dividend tests: an agreement drafted, signed by both parties, evidenced, verified,
paid, each step through the real services in its own unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from pledgebank.db import unit_of_work
from pledgebank.dividends import agreements, links, outcomes, signing
from pledgebank.dividends.agreements import Draft
from pledgebank.dividends.models import DividendAgreement
from pledgebank.dividends.terms import Tier
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import clock_now, today

SIGNATORY = ("Dana Whitfield", "dana.whitfield@fire.example")
VERIFIER = ("Sam Reed", "sam.reed@fire.example")


def fire_draft(app, **changes) -> Draft:
    """Deliberate fires down from 40 a year to 30, £5,000 fixed on success, into the general fund."""
    fields = {
        "title": "Fewer deliberate fires on the estates",
        "body_name": "South London Fire Service",
        "body_kind": "fire_service",
        "fund_slug": "general",
        "outcome_name": "Deliberate fires",
        "outcome_unit": "fires a year",
        "direction": "down",
        "baseline_value": 40,
        "baseline_source": "Fire service incident records",
        "baseline_period": "April 2025 to March 2026",
        "target_value": 30,
        "deadline": today(app) + timedelta(days=365),
        "evidence_required": "The fire service's own count of deliberate fires, by quarter.",
        "terms_kind": "fixed",
        "cap": 500_000,
        "amount": 500_000,
        "signatory_name": SIGNATORY[0],
        "signatory_email": SIGNATORY[1],
        "verifier_name": VERIFIER[0],
        "verifier_email": VERIFIER[1],
    }
    return replace(Draft(**fields), **changes)


def tiered(app, **changes) -> Draft:
    """The same outcome, paid by tiers: £1,000 at 35, £2,000 at 30, £3,000 at 25; capped at £2,500."""
    tiers = (Tier(35, 100_000), Tier(30, 200_000), Tier(25, 300_000))
    return fire_draft(
        app, terms_kind="tiered", amount=0, cap=250_000, tiers=tiers, target_value=25, **changes
    )


def draft(app, w, the_draft: Draft | None = None, *, by: int | None = None) -> int:
    """A drafted agreement's id."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        agreement = agreements.draft_agreement(
            session,
            actor_id=by or w.members[0],
            neighbourhood=get_neighbourhood(session, w.slug),
            draft=the_draft or fire_draft(app),
            signer=app.extensions["pledgebank.signer"],
            now=clock_now(app),
            today=today(app),
        )
        return agreement.id


def body_link(app, agreement_id: int, email: str) -> str:
    """The token of the link the body's signatory or verifier is emailed."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        agreement = session.get_one(DividendAgreement, agreement_id)
        return links.link_token(app.extensions["pledgebank.signer"], agreement, email, clock_now(app))


def terms_hash(app, agreement_id: int) -> str:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get_one(DividendAgreement, agreement_id).terms_hash


def body_signs(app, agreement_id: int, email: str = SIGNATORY[1], name: str = SIGNATORY[0]) -> None:
    signed = terms_hash(app, agreement_id)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        signing.sign(
            session,
            agreement_id=agreement_id,
            party="body",
            email=email,
            name=name,
            user_id=None,
            signed_hash=signed,
            now=clock_now(app),
        )


def chair_signs(app, w, agreement_id: int, *, by: int | None = None) -> None:
    signed = terms_hash(app, agreement_id)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        signing.sign_for_neighbourhood(
            session, actor_id=by or w.chair, agreement_id=agreement_id, signed_hash=signed, now=clock_now(app)
        )


def agreed(app, w, the_draft: Draft | None = None) -> int:
    """An agreement drafted and signed by both parties."""
    agreement_id = draft(app, w, the_draft)
    body_signs(app, agreement_id)
    chair_signs(app, w, agreement_id)
    return agreement_id


def evidence(app, w, agreement_id: int, value: int, period: str = "April 2026 to March 2027") -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        outcomes.submit_evidence(
            session,
            actor_id=w.members[0],
            agreement_id=agreement_id,
            period=period,
            value=value,
            notes="From the fire service's quarterly figures.",
            now=clock_now(app),
            today=today(app),
        )


def verify(app, agreement_id: int, email: str = VERIFIER[1]) -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        outcomes.verify(
            session,
            agreement_id=agreement_id,
            email=email,
            name=VERIFIER[0],
            now=clock_now(app),
            today=today(app),
        )


def dispute(app, agreement_id: int, reasons: str = "Two fires in March are missing.") -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        outcomes.dispute(
            session,
            agreement_id=agreement_id,
            email=VERIFIER[1],
            name=VERIFIER[0],
            reasons=reasons,
            now=clock_now(app),
        )


def answer(app, w, agreement_id: int) -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        outcomes.answer(
            session,
            actor_id=w.members[0],
            agreement_id=agreement_id,
            reply="Both were accidental, as the fire investigation found.",
            now=clock_now(app),
        )


def pay(app, w, agreement_id: int) -> None:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        outcomes.record_payment(
            session,
            actor_id=w.treasurer,
            agreement_id=agreement_id,
            paid_on=today(app),
            reference="SLFS-DIV-1",
            now=clock_now(app),
            today=today(app),
        )


def agreement(app, agreement_id: int) -> DividendAgreement:
    """The agreement as stored now (detached, its columns loaded)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = session.get_one(DividendAgreement, agreement_id)
        session.expunge(found)
        return found
