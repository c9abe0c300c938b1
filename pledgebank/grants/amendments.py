"""Changing a decision: lowering an award before it is paid, and taking a deferred application back.

Lowering an award reverses the ledger transaction that carries it and posts a fresh award for the new amount,
so the ledger shows the original, its reversal and the replacement, each naming the decision it came from.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_of, entry_of, post
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.grants import rounds
from pledgebank.grants.applications import get_application, tell_applicant
from pledgebank.grants.decisions import lock_for_money, post_award, record_decision, require_decider
from pledgebank.grants.models import GrantApplication, GrantDecision, GrantPayment, GrantReview, GrantScore
from pledgebank.grants.states import ApplicationAction, next_status
from pledgebank.ledger import rules
from pledgebank.text import _t

A = ApplicationAction


def reduce_award(
    session: Session,
    *,
    actor_id: int,
    application_id: int,
    amount: int,
    reason: str,
    now: datetime,
    zone: str,
) -> GrantDecision:
    """Lower an award that is not paid yet: reverse its transaction and post the new amount."""
    application = get_application(session, application_id)
    require_decider(session, application, actor_id)
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= 2000:
        raise InvalidInput.field("reason", "Give the reason (3 to 2000 characters); the applicant is told.")
    application = lock_for_money(session, application)
    before = application.status
    status = next_status(application.status, A.REDUCE)
    if session.scalar(select(GrantPayment.id).where(GrantPayment.application_id == application.id)):
        raise Conflict("A payment of this award is already recorded.")
    if not 0 < amount < (application.awarded_amount or 0):
        raise InvalidInput.field("amount", "A reduced award is above zero and below the current award.")
    carrying = session.scalar(
        select(GrantDecision)
        .where(GrantDecision.application_id == application.id, GrantDecision.transaction_id.is_not(None))
        .order_by(GrantDecision.id.desc())
        .limit(1)
    )
    decision = GrantDecision(
        application_id=application.id,
        outcome="reduce",
        amount=amount,
        reason=reason,
        decided_by_id=actor_id,
        decided_at=now,
    )
    session.add(decision)
    session.flush()  # the decision's id names the ledger transactions
    on = now.astimezone(ZoneInfo(zone)).date()
    book = book_of(session, application.neighbourhood_id)
    assert carrying is not None and carrying.transaction_id is not None  # an award in force was posted
    original = session.get_one(LedgerTransaction, carrying.transaction_id)
    reversal = rules.reversal(
        entry_of(original),
        key=f"grant-decision:{decision.id}:reversal",
        on=on,
        reason_code="grant-reduced",
        actor_id=actor_id,
        source={"grant_application": application.id, "grant_decision": decision.id},
    )
    decision.reversal_transaction_id = post(session, book=book, entry=reversal, now=now).transaction.id
    decision.transaction_id = post_award(session, application, decision, on, actor_id, now)
    application.awarded_amount = amount
    application.status = status
    application.updated_at = now
    record_decision(session, application, decision, before, actor_id, now)
    tell_applicant(
        session,
        application,
        _t("Your award has changed: %(title)s", title=application.title),
        "grants/decision",
        {"outcome": "reduce", "amount": amount, "reason": reason, "defer_until": None, "next_round": False},
    )
    return decision


def reconsider(
    session: Session, *, actor_id: int, application_id: int, now: datetime, round_id: int | None = None
) -> GrantApplication:
    """Put a deferred application back under review, in its round or another of the neighbourhood's.

    Moving it to another round clears the reviews (they scored the old round's criteria); declarations stay.
    """
    application = get_application(session, application_id)
    require_decider(session, application, actor_id)
    application = get_application(session, application_id, lock=True)
    before = {"status": application.status, "round": application.round_id}
    application.status = next_status(application.status, A.RECONSIDER)
    if round_id is not None and round_id != application.round_id:
        target = rounds.get_round(session, round_id)
        if target.neighbourhood_id != application.neighbourhood_id:
            raise InvalidInput.field("round", "Choose one of this neighbourhood's rounds.")
        if application.amount_requested > target.max_award:
            raise InvalidInput.field("round", "The request is more than that round's largest award.")
        reviews = select(GrantReview.id).where(GrantReview.application_id == application.id)
        session.execute(delete(GrantScore).where(GrantScore.review_id.in_(reviews)))
        session.execute(delete(GrantReview).where(GrantReview.application_id == application.id))
        application.round_id = target.id
        session.expire(application, ["round"])
    application.updated_at = now
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=application.neighbourhood_id,
        action="grant.reconsidered",
        subject=("grant_application", application.id),
        now=now,
        before=before,
        after={"status": application.status, "round": application.round_id},
    )
    return application
