"""Reviewing applications: declaring interests, scoring against the criteria, and the quorum arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.grants import access
from pledgebank.grants.applications import get_application
from pledgebank.grants.models import GrantApplication, GrantDeclaration, GrantReview, GrantScore
from pledgebank.grants.states import ApplicationAction, ApplicationStatus, allows, next_status
from pledgebank.policy import Action, require

RECOMMENDATIONS = ("award", "part_award", "defer", "reject")
MAX_SCORE = 5


def quorum_needed(rule: str, minimum: int, eligible: int) -> int:
    """How many reviews a decision needs, from the members without a conflict.

    "majority": more than half of them; "all": every one of them; "fixed": the minimum. Never fewer than the
    minimum (2 by default), even when that is more than can take part.
    """
    base = {"majority": eligible // 2 + 1, "all": eligible, "fixed": 0}[rule]
    return max(minimum, base)


@dataclass(frozen=True, slots=True)
class Quorum:
    """Where an application stands against its round's quorum rule."""

    committee: int
    conflicted: int
    needed: int
    counted: int

    @property
    def eligible(self) -> int:
        """Committee members without a conflict: those who may review and count."""
        return self.committee - self.conflicted

    @property
    def possible(self) -> bool:
        """Whether enough members are free of conflicts to ever reach the quorum."""
        return self.needed <= self.eligible

    @property
    def met(self) -> bool:
        """Enough members without a conflict have reviewed it."""
        return self.possible and self.counted >= self.needed


def weighted_percent(scores: Mapping[int, int], weights: Mapping[int, int]) -> int:
    """Weighted score as a whole percentage of the best possible (every criterion at 5), rounded half up."""
    total_weight = sum(weights.values())
    if not total_weight:
        return 0
    points = sum(scores.get(criterion, 0) * weight for criterion, weight in weights.items())
    denominator = MAX_SCORE * total_weight
    return (200 * points + denominator) // (2 * denominator)


def quorum_of(session: Session, application: GrantApplication) -> Quorum:
    """Count the committee, its conflicts and the reviews that count, for the application's round rule."""
    committee = access.committee_ids(session, application.neighbourhood_id)
    conflicted = access.conflicted_ids(session, application) & committee
    eligible = committee - conflicted
    reviewers = set(
        session.scalars(select(GrantReview.member_id).where(GrantReview.application_id == application.id))
    )
    grant_round = application.round
    return Quorum(
        committee=len(committee),
        conflicted=len(conflicted),
        needed=quorum_needed(grant_round.quorum_rule, grant_round.quorum_minimum, len(eligible)),
        counted=len(reviewers & eligible),
    )


def declare_interest(
    session: Session, *, actor_id: int, application_id: int, interest: str, reason: str, now: datetime
) -> GrantDeclaration:
    """Declare no interest, or a conflict with its reason (committee), before seeing anyone's scores.

    A declaration of no interest may later become a conflict, never the other way. The first declaration on
    a submitted application starts its review.
    """
    require(
        session, actor_id, get_application(session, application_id).neighbourhood_id, Action.REVIEW_GRANTS
    )
    application = get_application(session, application_id, lock=True)
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        raise Conflict("There is nothing to declare on a draft or withdrawn application.")
    reason = (reason or "").strip()
    if interest not in (access.NO_INTEREST, access.CONFLICT):
        raise InvalidInput.field("interest", "Say whether you have a conflict of interest.")
    if interest == access.CONFLICT and not 3 <= len(reason) <= 2000:
        raise InvalidInput.field("reason", "Say what the conflict is (3 to 2000 characters).")
    if interest == access.NO_INTEREST and actor_id == application.applicant_id:
        raise Forbidden("You applied for this grant, so you have a conflict of interest in it.")
    existing = access.declarations(session, application.id).get(actor_id)
    if existing is not None and (existing.interest == access.CONFLICT or interest == access.NO_INTEREST):
        raise Conflict("You have already declared your interest in this application.")
    before = None if existing is None else {"interest": existing.interest}
    declaration = existing or GrantDeclaration(application_id=application.id, member_id=actor_id)
    declaration.interest = interest
    declaration.reason = reason if interest == access.CONFLICT else ""
    declaration.declared_at = now
    session.add(declaration)
    if allows(application.status, ApplicationAction.REVIEW):
        application.status = next_status(application.status, ApplicationAction.REVIEW)
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.interest_declared",
        subject=("grant_application", application.id),
        now=now,
        before=before,
        after={"interest": interest},
        reason=declaration.reason,
    )
    return declaration


def submit_review(
    session: Session,
    *,
    actor_id: int,
    application_id: int,
    scores: Mapping[int, int],
    recommendation: str,
    recommended_amount: int | None,
    comment: str,
    now: datetime,
) -> GrantReview:
    """Score every criterion (0 to 5) and recommend an outcome; a member may revise it until the decision."""
    require(
        session, actor_id, get_application(session, application_id).neighbourhood_id, Action.REVIEW_GRANTS
    )
    application = get_application(session, application_id, lock=True)
    access.require_unconflicted(session, application, actor_id, "score it")
    application.status = next_status(application.status, ApplicationAction.REVIEW)
    criteria = {c.id for c in application.round.criteria}
    errors: dict[str, list[str]] = {}
    if set(scores) != criteria or any(not 0 <= value <= MAX_SCORE for value in scores.values()):
        errors["scores"] = [f"Score every criterion from 0 to {MAX_SCORE}."]
    if recommendation not in RECOMMENDATIONS:
        errors["recommendation"] = ["Recommend an outcome."]
    if recommended_amount is not None and not 0 < recommended_amount <= application.amount_requested:
        errors["recommended_amount"] = ["Recommend an amount above zero and at most the request."]
    if len(comment or "") > 4000:
        errors["comment"] = ["Use at most 4000 characters."]
    if errors:
        raise InvalidInput(fields=errors)
    review = session.scalar(
        select(GrantReview).where(
            GrantReview.application_id == application.id, GrantReview.member_id == actor_id
        )
    )
    if review is None:
        review = GrantReview(application_id=application.id, member_id=actor_id, created_at=now)
        session.add(review)
    review.recommendation = recommendation
    review.recommended_amount = recommended_amount if recommendation == "part_award" else None
    review.comment = (comment or "").strip()
    review.updated_at = now
    review.scores = [GrantScore(criterion_id=c, score=scores[c]) for c in sorted(criteria)]
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.reviewed",
        subject=("grant_application", application.id),
        now=now,
        after={"recommendation": recommendation},
    )
    return review


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One member's review as shown: scores by criterion id, the weighted percentage, and the outcome."""

    member_id: int
    name: str
    scores: dict[int, int]
    percent: int
    recommendation: str
    recommended_amount: int | None
    comment: str


def visible_reviews(
    session: Session, application: GrantApplication, viewer_id: int | None
) -> list[ReviewLine]:
    """Every review for those who may see scores; otherwise only the viewer's own (or nothing)."""
    everyone = access.can_see_scores(session, application, viewer_id)
    statement = select(GrantReview, User.display_name).join(User, User.id == GrantReview.member_id)
    statement = statement.where(GrantReview.application_id == application.id).order_by(GrantReview.id)
    if not everyone:
        statement = statement.where(GrantReview.member_id == (viewer_id or 0))
    weights = {c.id: c.weight for c in application.round.criteria}
    lines = []
    for review, name in session.execute(statement):
        scores = {s.criterion_id: s.score for s in review.scores}
        lines.append(
            ReviewLine(
                member_id=review.member_id,
                name=name,
                scores=scores,
                percent=weighted_percent(scores, weights),
                recommendation=review.recommendation,
                recommended_amount=review.recommended_amount,
                comment=review.comment,
            )
        )
    return lines
