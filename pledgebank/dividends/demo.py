"""Demo community dividends for Elm Park, each step through the real services:

- "Fewer deliberate fires on the estates" with South London Fire Service: fixed payment on success; signed
  by the fire service's station manager and the chair (Priya), evidence given, verified, the dividend earned
  and paid by bank transfer (recorded by Tom, the treasurer).
- "More repairs reported the same week" with Elm Park Housing Association: pro rata between a floor and the
  target, signed by both, the first quarter's figure given and waiting for the association's verifier, whose
  link is in the outbox (/dev/outbox).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from pledgebank.db import unit_of_work
from pledgebank.dividends import agreements, outcomes, signing
from pledgebank.dividends.agreements import Draft
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.services import get_neighbourhood

FIRE_SIGNS = ("Dana Whitfield", "dana.whitfield@fire.example")
FIRE_VERIFIES = ("Sam Reed", "sam.reed@fire.example")
HOMES = ("Joy Adeyemi", "joy.adeyemi@elmparkhomes.example")


def _drafts(today) -> list[Draft]:
    fires = Draft(
        title="Fewer deliberate fires on the estates",
        body_name="South London Fire Service",
        body_kind="fire_service",
        fund_slug="general",
        outcome_name="Deliberate fires in Elm Park",
        outcome_unit="fires a year",
        direction="down",
        baseline_value=40,
        baseline_source="South London Fire Service incident records",
        baseline_period="April 2024 to March 2025",
        target_value=30,
        deadline=today + timedelta(days=300),
        evidence_required="The fire service's own count of deliberate fires in the Elm Park wards, by year.",
        terms_kind="fixed",
        amount=500_000,
        cap=500_000,
        signatory_name=FIRE_SIGNS[0],
        signatory_email=FIRE_SIGNS[1],
        verifier_name=FIRE_VERIFIES[0],
        verifier_email=FIRE_VERIFIES[1],
    )
    repairs = Draft(
        title="More repairs reported the same week",
        body_name="Elm Park Housing Association",
        body_kind="housing_association",
        fund_slug="general",
        outcome_name="Repairs reported within a week of the fault",
        outcome_unit="per cent of repairs",
        direction="up",
        baseline_value=45,
        baseline_source="The association's repairs log",
        baseline_period="2025",
        target_value=70,
        deadline=today + timedelta(days=240),
        evidence_required="The association's repairs log, quarter by quarter.",
        terms_kind="pro_rata",
        amount=300_000,
        floor_value=50,
        cap=400_000,
        signatory_name=HOMES[0],
        signatory_email=HOMES[1],
        verifier_name=HOMES[0],
        verifier_email=HOMES[1],
    )
    return [fires, repairs]


def _agreed(app: Flask, draft: Draft, drafter: int, chair: int, now, today) -> int:
    """An agreement drafted by a committee member and signed by the body and the chair."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        signer = app.extensions["pledgebank.signer"]
        agreement = agreements.draft_agreement(
            session, actor_id=drafter, neighbourhood=place, draft=draft, signer=signer, now=now, today=today
        )
        signing.sign(
            session,
            agreement_id=agreement.id,
            party="body",
            email=draft.signatory_email,
            name=draft.signatory_name,
            user_id=None,
            signed_hash=agreement.terms_hash,
            now=now,
        )
        signing.sign_for_neighbourhood(
            session, actor_id=chair, agreement_id=agreement.id, signed_hash=agreement.terms_hash, now=now
        )
        return agreement.id


def seed_dividends(app: Flask, ids: dict[str, int]) -> None:
    """Load the two demo agreements (people by email, as accounts.demo made them)."""
    now = app.extensions["pledgebank.clock"].now()
    today = now.astimezone(ZoneInfo(app.config["TIMEZONE"])).date()
    chair, tom, aisha = (ids[f"{who}@example.org"] for who in ("priya", "tom", "aisha"))
    fires, repairs = (_agreed(app, draft, aisha, chair, now, today) for draft in _drafts(today))
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        for agreement_id, period, value in (
            (fires, "April 2025 to March 2026", 27),
            (repairs, "First quarter", 58),
        ):
            outcomes.submit_evidence(
                session,
                actor_id=aisha,
                agreement_id=agreement_id,
                period=period,
                value=value,
                notes="From the body's own published figures.",
                now=now,
                today=today,
            )
        outcomes.verify(
            session, agreement_id=fires, email=FIRE_VERIFIES[1], name=FIRE_VERIFIES[0], now=now, today=today
        )
        outcomes.record_payment(
            session,
            actor_id=tom,
            agreement_id=fires,
            paid_on=today,
            reference="SLFS DIVIDEND",
            now=now,
            today=today,
        )
