"""Deciding on applications: who decides, the quorum, the caps on an award, and the award in the ledger.

An award (in full or in part) posts `grant_awarded` for the amount awarded: the fund's grants expense against
grants payable, naming the decision it came from. Lowering an award later is in amendments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.services import InsufficientFunds, book_of, post
from pledgebank.errors import Conflict, Forbidden, InvalidInput
from pledgebank.grants import access, funds, rounds
from pledgebank.grants.applications import get_application, tell_applicant
from pledgebank.grants.models import (
    GrantApplication,
    GrantDecision,
)
from pledgebank.grants.reviews import quorum_of
from pledgebank.grants.states import ApplicationAction, next_status
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.policy import Action, can, require
from pledgebank.text import _t

A = ApplicationAction
OUTCOMES: dict[str, ApplicationAction] = {
    "award": A.AWARD,
    "part_award": A.AWARD_PART,
    "defer": A.DEFER,
    "reject": A.REJECT,
}


class QuorumNotMet(Conflict):
    """Too few members without a conflict have reviewed the application."""

    code = "quorum_not_met"
    default_message = "Not enough committee members without a conflict have reviewed this application yet."


class AwardTooLarge(InvalidInput):
    """The award would exceed the request, the round's largest award or the round's remaining budget."""

    code = "award_too_large"


@dataclass(frozen=True, slots=True)
class Caps:
    """The limits on one award, in minor units."""

    requested: int
    max_award: int
    round_remaining: int
    fund_available: int

    @property
    def limit(self) -> int:
        """The most that may be awarded now (zero or less: nothing)."""
        return min(self.requested, self.max_award, self.round_remaining, self.fund_available)


def check_award(amount: int | None, caps: Caps) -> None:
    """Raise unless 0 < amount <= every cap; the error names the first cap exceeded."""
    if amount is None or amount <= 0:
        raise InvalidInput.field("amount", "Award an amount above zero.")
    if amount > caps.requested:
        raise AwardTooLarge.field("amount", "An award cannot be more than the applicant asked for.")
    if amount > caps.max_award:
        raise AwardTooLarge.field("amount", "An award cannot be more than the round's largest award.")
    if amount > caps.round_remaining:
        raise AwardTooLarge.field("amount", "An award cannot be more than is left in the round's budget.")
    if amount > caps.fund_available:
        message = "The fund does not have that much money available."
        raise InsufficientFunds(message, fields={"amount": [message]})


def may_decide(session: Session, application: GrantApplication, user_id: int | None) -> bool:
    """The chair, or the member the chair named, when they have declared no interest."""
    if user_id is None or not can(session, user_id, application.neighbourhood_id, Action.REVIEW_GRANTS):
        return False
    named = user_id == application.decider_id
    chair = can(session, user_id, application.neighbourhood_id, Action.DECIDE_GRANTS)
    return (named or chair) and access.has_declared_no_interest(session, application, user_id)


def require_decider(session: Session, application: GrantApplication, user_id: int) -> None:
    """Raise Forbidden unless the user may record decisions on this application."""
    require(session, user_id, application.neighbourhood_id, Action.REVIEW_GRANTS)
    named = user_id == application.decider_id
    if not (named or can(session, user_id, application.neighbourhood_id, Action.DECIDE_GRANTS)):
        raise Forbidden("Only the chair, or the member the chair names, records the decision.")
    access.require_unconflicted(session, application, user_id, "decide on it")


def name_decider(
    session: Session, *, actor_id: int, application_id: int, member_id: int, now: datetime
) -> GrantApplication:
    """The chair names the committee member who records the decision; never a conflicted one."""
    application = get_application(session, application_id)
    require(session, actor_id, application.neighbourhood_id, Action.DECIDE_GRANTS)
    if member_id not in access.committee_ids(session, application.neighbourhood_id):
        raise InvalidInput.field("member", "Choose a member of the committee.")
    if access.is_conflicted(session, application, member_id):
        raise InvalidInput.field("member", "That member has a conflict of interest in this application.")
    application = get_application(session, application_id, lock=True)
    before = application.decider_id
    application.decider_id = member_id
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.decider_named",
        subject=("grant_application", application.id),
        now=now,
        before={"decider": before},
        after={"decider": member_id},
    )
    return application


def lock_for_money(session: Session, application: GrantApplication) -> GrantApplication:
    """Lock, in this order, the fund, the round and the application (every path that takes more than one
    of them takes them in this order, so they cannot deadlock); return the application re-read."""
    funds.lock_fund(session, application.round.fund_id)
    rounds.get_round(session, application.round_id, lock=True)
    return get_application(session, application.id, lock=True)


def caps_for(session: Session, application: GrantApplication) -> Caps:
    """The limits on an award to this application now."""
    grant_round = application.round
    return Caps(
        requested=application.amount_requested,
        max_award=grant_round.max_award,
        round_remaining=rounds.remaining(session, grant_round),
        fund_available=funds.available(session, grant_round.fund_id),
    )


def _check_inputs(outcome, amount, reason, defer_until, next_round, today) -> None:
    errors: dict[str, list[str]] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = ["Choose award, award in part, defer or reject."]
    if outcome == "part_award" and amount is None:
        errors["amount"] = ["Give the amount awarded."]
    if outcome in ("part_award", "reject") and not 3 <= len(reason) <= 2000:
        errors["reason"] = ["Give the reason (3 to 2000 characters); the applicant is told."]
    if outcome == "defer" and defer_until is None and not next_round:
        errors["defer_until"] = ["Defer to a date, or to the next round."]
    if outcome == "defer" and defer_until is not None and defer_until <= today:
        errors["defer_until"] = ["Defer to a date after today."]
    if len(reason) > 2000:
        errors["reason"] = ["Use at most 2000 characters."]
    if errors:
        raise InvalidInput(fields=errors)


def decide(
    session: Session,
    *,
    actor_id: int,
    application_id: int,
    outcome: str,
    now: datetime,
    zone: str,
    amount: int | None = None,
    reason: str = "",
    defer_until: date | None = None,
    defer_to_next_round: bool = False,
) -> GrantDecision:
    """Record the decision once the quorum is met: award in full or in part, defer, or reject.

    An award never exceeds the request, the round's largest award, the round's remaining budget or the fund's
    available money; the fund and round are locked while that is checked and the award is posted.
    """
    application = get_application(session, application_id)
    require_decider(session, application, actor_id)
    reason, today = (reason or "").strip(), now.astimezone(ZoneInfo(zone)).date()
    _check_inputs(outcome, amount, reason, defer_until, defer_to_next_round, today)
    action = OUTCOMES[outcome]
    application = lock_for_money(session, application)
    before = application.status
    status = next_status(application.status, action)
    quorum = quorum_of(session, application)
    if not quorum.met:
        raise QuorumNotMet()
    if action == A.AWARD:
        amount = application.amount_requested
    if action == A.AWARD_PART and amount == application.amount_requested:
        raise InvalidInput.field("amount", "That is the whole request: choose to award it in full.")
    if action in (A.AWARD, A.AWARD_PART):
        check_award(amount, caps_for(session, application))
    decision = GrantDecision(
        application_id=application.id,
        outcome=outcome,
        amount=amount if action in (A.AWARD, A.AWARD_PART) else None,
        reason=reason,
        defer_until=defer_until if action == A.DEFER else None,
        defer_to_next_round=bool(defer_to_next_round) and action == A.DEFER,
        quorum_needed=quorum.needed,
        reviews_counted=quorum.counted,
        decided_by_id=actor_id,
        decided_at=now,
    )
    session.add(decision)
    session.flush()  # the decision's id names the ledger transaction
    if decision.amount is not None:
        decision.transaction_id = post_award(session, application, decision, today, actor_id, now)
        application.awarded_amount, application.awarded_at = decision.amount, now
    application.status = status
    application.updated_at = now
    record_decision(session, application, decision, before, actor_id, now)
    tell_applicant(
        session,
        application,
        _t("Decision on your application: %(title)s", title=application.title),
        "grants/decision",
        {
            "outcome": outcome,
            "amount": decision.amount,
            "reason": reason,
            "defer_until": decision.defer_until,
            "next_round": decision.defer_to_next_round,
        },
    )
    return decision


def post_award(
    session: Session,
    application: GrantApplication,
    decision: GrantDecision,
    on: date,
    actor_id: int,
    now: datetime,
) -> int:
    """Post the award, check the fund again under the book's lock, and return the transaction id."""
    fund = application.round.fund
    assert decision.amount is not None  # an award decision carries its amount
    entry = rules.grant_awarded(
        amount=Money(decision.amount, application.currency),
        fund=fund.slug,
        key=f"grant-decision:{decision.id}",
        on=on,
        source={"grant_application": application.id, "grant_decision": decision.id},
        actor_id=actor_id,
    )
    posted = post(session, book=book_of(session, application.neighbourhood_id), entry=entry, now=now)
    # Posting holds the book's chain-head lock until commit: read the fund again under it.
    funds.check_not_overdrawn(session, fund)
    return posted.transaction.id


def record_decision(session, application, decision, before, actor_id, now) -> None:
    """Audit the decision: who, the outcome, the amount and the status before and after."""
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.decided",
        subject=("grant_application", application.id),
        now=now,
        before={"status": before},
        after={
            "status": application.status,
            "outcome": decision.outcome,
            "amount": decision.amount,
            "decision": decision.id,
        },
        reason=decision.reason,
    )
