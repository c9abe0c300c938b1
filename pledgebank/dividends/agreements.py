"""Drafting and amending community dividend agreements.

A draft's terms are fixed when it is drafted: their hash is what each party signs (see signing.py), and
what the audit log records with the terms themselves. Nothing is ever edited: an amendment is a new version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.tokens import LinkSigner
from pledgebank.books.audit import record_event
from pledgebank.dividends.links import invite
from pledgebank.dividends.models import BODY_KINDS, DividendAgreement, DividendBody
from pledgebank.dividends.states import AgreementAction, AgreementStatus, next_status
from pledgebank.dividends.terms import Direction, OutcomeSource, Terms, TermsKind, Tier, problems, terms_hash
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.neighbourhoods.models import Fund, Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.pulse.questions import CORE_KEYS

# The terms' checks name the terms' parts; the form names them as the agreement's columns.
_FORM_FIELDS = {"target": "target_value", "floor": "floor_value"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Draft:
    """What the committee gives for an agreement (text trimmed; money and figures already parsed)."""

    title: str
    body_name: str
    body_kind: str
    fund_slug: str
    outcome_name: str
    outcome_unit: str
    direction: str
    baseline_value: int
    baseline_source: str
    baseline_period: str
    target_value: int
    deadline: date
    evidence_required: str
    terms_kind: str
    cap: int
    amount: int = 0
    floor_value: int | None = None
    tiers: tuple[Tier, ...] = field(default_factory=tuple)
    signatory_name: str = ""
    signatory_email: str = ""
    verifier_name: str = ""
    verifier_email: str = ""
    outcome_measure: str = ""  # a pulse core measure's key; "" when the neighbourhood reports the figures


def get_agreement(session: Session, agreement_id: int, *, lock: bool = False) -> DividendAgreement:
    """The agreement, or NotFound; `lock` takes its row lock (and reads it afresh)."""
    statement = select(DividendAgreement).where(DividendAgreement.id == agreement_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found = session.scalar(statement)
    if found is None:
        raise NotFound("There is no such agreement.")
    return found


def signed_fields(agreement: DividendAgreement) -> dict[str, Any]:
    """The terms as signed: everything the parties agree to, and nothing that changes after."""
    return {
        "neighbourhood": agreement.neighbourhood.slug,
        "body": agreement.body.name,
        "version": agreement.version,
        "title": agreement.title,
        "outcome": {
            "name": agreement.outcome_name,
            "unit": agreement.outcome_unit,
            "direction": agreement.direction,
            "source": agreement.outcome_source,
            **(
                {"measure": agreement.outcome_measure}
                if agreement.outcome_source == OutcomeSource.PULSE
                else {}
            ),
        },
        "baseline": {
            "value": agreement.baseline_value,
            "source": agreement.baseline_source,
            "period": agreement.baseline_period,
        },
        "target": agreement.target_value,
        "deadline": agreement.deadline.isoformat(),
        "evidence_required": agreement.evidence_required,
        "payment": {
            "kind": agreement.terms_kind,
            "amount": agreement.amount,
            "floor": agreement.floor_value,
            "cap": agreement.cap,
            "tiers": [list(t) for t in agreement.tiers or []],
            "currency": agreement.currency,
        },
        "fund": agreement.fund.slug,
        "signatory": {"name": agreement.signatory_name, "email": agreement.signatory_email},
        "verifier": {"name": agreement.verifier_name, "email": agreement.verifier_email},
    }


def _check(session: Session, neighbourhood: Neighbourhood, draft: Draft, today: date) -> Fund:
    errors: dict[str, list[str]] = {}
    for name in ("title", "body_name", "outcome_name", "outcome_unit", "baseline_source", "baseline_period"):
        if not getattr(draft, name):
            errors[name] = ["Fill this in."]
    if not draft.evidence_required:
        errors["evidence_required"] = ["Say what evidence the body will need."]
    if draft.body_kind not in BODY_KINDS:
        errors["body_kind"] = ["Choose what kind of body it is."]
    if draft.direction not in tuple(Direction):
        errors["direction"] = ["Choose whether the outcome should go up or down."]
    if draft.terms_kind not in tuple(TermsKind):
        errors["terms_kind"] = ["Choose fixed, tiered or pro rata."]
    if draft.deadline <= today:
        errors["deadline"] = ["The deadline must be after today."]
    for who in ("signatory", "verifier"):
        if not getattr(draft, f"{who}_name"):
            errors[f"{who}_name"] = ["Give the person's name."]
        if not _EMAIL.fullmatch(getattr(draft, f"{who}_email")):
            errors[f"{who}_email"] = ["Give an email address, like name@example.org."]
    errors.update(_measure_problems(draft))
    if "direction" not in errors and "terms_kind" not in errors:
        for name, messages in problems(_terms_of(draft)).items():
            errors[_FORM_FIELDS.get(name, name)] = messages
    fund = session.scalar(
        select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug == draft.fund_slug)
    )
    if fund is None:
        errors["fund_slug"] = ["Choose one of the neighbourhood's funds."]
    if errors:
        raise InvalidInput(fields=errors)
    assert fund is not None
    return fund


def _measure_problems(draft: Draft) -> dict[str, list[str]]:
    """A pulse outcome names a core measure, its baseline and target whole percentages."""
    if not draft.outcome_measure:
        return {}
    if draft.outcome_measure not in CORE_KEYS:
        return {"outcome_measure": ["Choose one of the pulse's core measures, or figures you report."]}
    percent = "A pulse measure is the share agreeing: give a whole percentage, 0 to 100."
    return {name: [percent] for name in ("baseline_value", "target_value") if getattr(draft, name) > 100}


def _terms_of(draft: Draft) -> Terms:
    return Terms(
        kind=TermsKind(draft.terms_kind),
        direction=Direction(draft.direction),
        baseline=draft.baseline_value,
        target=draft.target_value,
        cap=draft.cap,
        amount=draft.amount if draft.terms_kind != TermsKind.TIERED else 0,
        floor=draft.floor_value if draft.terms_kind == TermsKind.PRO_RATA else None,
        tiers=draft.tiers if draft.terms_kind == TermsKind.TIERED else (),
    )


def body_for(session: Session, name: str, kind: str, now: datetime) -> DividendBody:
    """The body of this name (made on first use); its page lists its agreements everywhere."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "body"
    found = session.scalar(select(DividendBody).where(DividendBody.slug == slug))
    if found is None:
        found = DividendBody(slug=slug, name=name, kind=kind, created_at=now)
        session.add(found)
        session.flush()
    return found


def _row(
    draft: Draft,
    neighbourhood: Neighbourhood,
    fund: Fund,
    body: DividendBody,
    previous: DividendAgreement | None,
) -> DividendAgreement:
    """The agreement's row, as drafted (its terms' hash is set once its relations are loaded)."""
    terms = _terms_of(draft)
    return DividendAgreement(
        neighbourhood_id=neighbourhood.id,
        body_id=body.id,
        fund_id=fund.id,
        previous_id=previous.id if previous else None,
        version=previous.version + 1 if previous else 1,
        status=AgreementStatus.DRAFT,
        title=draft.title,
        outcome_name=draft.outcome_name,
        outcome_unit=draft.outcome_unit,
        direction=draft.direction,
        outcome_source=(OutcomeSource.PULSE if draft.outcome_measure else OutcomeSource.FIGURES).value,
        outcome_measure=draft.outcome_measure,
        baseline_value=draft.baseline_value,
        baseline_source=draft.baseline_source,
        baseline_period=draft.baseline_period,
        target_value=draft.target_value,
        deadline=draft.deadline,
        evidence_required=draft.evidence_required,
        terms_kind=draft.terms_kind,
        amount=terms.amount,
        floor_value=terms.floor,
        cap=draft.cap,
        tiers=[[t.reached, t.amount] for t in terms.tiers],
        currency=neighbourhood.currency,
        signatory_name=draft.signatory_name,
        signatory_email=draft.signatory_email.lower(),
        verifier_name=draft.verifier_name,
        verifier_email=draft.verifier_email.lower(),
        terms_hash="",
    )


def draft_agreement(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    draft: Draft,
    signer: LinkSigner,
    now: datetime,
    today: date,
    previous: DividendAgreement | None = None,
) -> DividendAgreement:
    """The committee drafts an agreement (or, with `previous`, a new version of one in force); the body's
    signatory and verifier are emailed their links."""
    require(session, actor_id, neighbourhood.id, Action.MANAGE_DIVIDENDS)
    fund = _check(session, neighbourhood, draft, today)
    agreement = _row(
        draft, neighbourhood, fund, body_for(session, draft.body_name, draft.body_kind, now), previous
    )
    agreement.drafted_by_id, agreement.created_at, agreement.updated_at = actor_id, now, now
    session.add(agreement)
    session.flush()
    session.refresh(agreement)  # the body, fund and neighbourhood, for the signed terms
    agreement.terms_hash = terms_hash(signed_fields(agreement))
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="dividend.amended" if previous else "dividend.drafted",
        subject=("dividend_agreement", agreement.id),
        now=now,
        after={"title": agreement.title, "version": agreement.version, "terms_hash": agreement.terms_hash},
    )
    invite(session, agreement, signer, now)
    return agreement


def amend(
    session: Session,
    *,
    actor_id: int,
    agreement_id: int,
    draft: Draft,
    signer: LinkSigner,
    now: datetime,
    today: date,
) -> DividendAgreement:
    """A new version of an agreement in force, to be signed again; the old one holds until it is."""
    previous = get_agreement(session, agreement_id, lock=True)
    require(session, actor_id, previous.neighbourhood_id, Action.MANAGE_DIVIDENDS)
    next_status(previous.status, AgreementAction.AMEND)
    if session.scalar(select(DividendAgreement.id).where(DividendAgreement.previous_id == previous.id)):
        raise Conflict("This agreement already has a newer version.")
    return draft_agreement(
        session,
        actor_id=actor_id,
        neighbourhood=previous.neighbourhood,
        draft=draft,
        signer=signer,
        now=now,
        today=today,
        previous=previous,
    )
