"""Creating, approving, cancelling and reading pledges; their progress towards the threshold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.alerts import services as alerts
from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.pledges import funding
from pledgebank.pledges.milestones import Milestone, record_milestone
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.states import (
    ACTIVE,
    COUNTS_AT_COLLECTION_END,
    COUNTS_BEFORE_ACTIVATION,
    PledgeAction,
    PledgeKind,
    PledgeStatus,
    SignupStatus,
    next_pledge_status,
)
from pledgebank.pledges.terms import MAX_WINDOW_HOURS, PledgeTerms, check_terms
from pledgebank.policy import Action, can, require
from pledgebank.text import _t

# The treasurer has the pledger's cash for this pledge.
CASH_IN_HAND = frozenset({SignupStatus.CASH_RECEIVED, SignupStatus.CASH_KEPT})


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a pledge is: people and money that count, and the targets."""

    pledgers: int
    amount: int
    waiting: int
    target_pledgers: int | None
    target_amount: int | None

    @property
    def met(self) -> bool:
        """True when every target set is reached."""
        return meets_targets(self.target_pledgers, self.target_amount, self.pledgers, self.amount)

    @property
    def fraction(self) -> float:
        """Share of the nearer-to-miss target reached, 0..1 (for drawing the progress bar only)."""
        shares = []
        if self.target_pledgers:
            shares.append(self.pledgers / self.target_pledgers)
        if self.target_amount:
            shares.append(self.amount / self.target_amount)
        return max(0.0, min(1.0, min(shares))) if shares else 0.0


def meets_targets(target_pledgers: int | None, target_amount: int | None, pledgers: int, amount: int) -> bool:
    """Both targets must be met when both are set."""
    if target_pledgers is None and target_amount is None:
        return False
    return (target_pledgers is None or pledgers >= target_pledgers) and (
        target_amount is None or amount >= target_amount
    )


def create_pledge(
    session: Session, *, actor_id: int, neighbourhood: Neighbourhood, terms: PledgeTerms, now: datetime
) -> Pledge:
    """Create a pledge; it opens at once unless the neighbourhood wants committee approval first."""
    require(session, actor_id, neighbourhood.id, Action.CREATE_PLEDGE)
    check_terms(terms, now, neighbourhood.currency)
    fund = None
    if terms.kind == PledgeKind.TIME:
        pass  # nothing to hold: no fund
    elif terms.fund_slug is None:
        fund = funding.open_own_fund(
            session,
            actor_id=actor_id,
            neighbourhood=neighbourhood,
            title=terms.title,
            description=terms.description,
            now=now,
        )
    else:
        fund = funding.choose_fund(
            session, actor_id=actor_id, neighbourhood_id=neighbourhood.id, slug=terms.fund_slug
        )
    needs_approval = neighbourhood.pledges_need_approval and not can(
        session, actor_id, neighbourhood.id, Action.MANAGE_PLEDGES
    )
    time = terms.kind == PledgeKind.TIME
    pledge = Pledge(
        neighbourhood_id=neighbourhood.id,
        kind=terms.kind,
        fund_id=None if fund is None else fund.id,
        own_fund=fund is not None and terms.fund_slug is None,
        creator_id=actor_id,
        title=terms.title.strip(),
        action=" ".join(terms.action.split()),
        description=terms.description.strip(),
        next_steps=terms.next_steps.strip(),
        amount_kind="fixed" if time else terms.amount_kind,
        amount=0 if time else terms.amount,
        currency=neighbourhood.currency,
        target_pledgers=terms.target_pledgers,
        target_amount=terms.target_amount,
        cap=terms.cap,
        deadline=terms.deadline,
        allow_cash=terms.allow_cash and neighbourhood.allow_cash_pledges and not time,
        collection_window_hours=min(neighbourhood.collection_window_hours, MAX_WINDOW_HOURS),
        status=(PledgeStatus.DRAFT if needs_approval else PledgeStatus.OPEN).value,
        created_at=now,
    )
    session.add(pledge)
    session.flush()  # an id for the audit event
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="pledge.created",
        subject=("pledge", pledge.id),
        now=now,
        after={
            "title": pledge.title,
            "status": pledge.status,
            "kind": pledge.kind,
            "fund": fund and fund.slug,
        },
    )
    if pledge.status == PledgeStatus.OPEN:
        record_milestone(session, pledge, Milestone.OPENED, counting=COUNTS_BEFORE_ACTIVATION, now=now)
        alerts.pledge_opened(session, pledge, now=now)
    return pledge


def edit_pledge(
    session: Session, *, actor_id: int, pledge: Pledge, terms: PledgeTerms, now: datetime
) -> Pledge:
    """Change a pledge's wording and terms (its creator or the committee) until the first person pledges."""
    if actor_id != pledge.creator_id:
        require(session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    pledge = get_pledge(session, pledge.id, lock=True)
    if pledge.wording_frozen_at is not None:
        raise Conflict(_t("Someone has pledged, so the wording can no longer change."))
    if pledge.status not in (PledgeStatus.DRAFT, PledgeStatus.OPEN):
        raise Conflict(_t("Only a pledge that is waiting or open can be changed."))
    if terms.kind != pledge.kind:
        raise InvalidInput.field("kind", _t("A pledge's kind (money or time) cannot change once it is made."))
    check_terms(terms, now, pledge.currency)
    before = {"title": pledge.title, "amount": pledge.amount, "deadline": pledge.deadline.isoformat()}
    neighbourhood = session.get_one(Neighbourhood, pledge.neighbourhood_id)
    pledge.title, pledge.description = terms.title.strip(), terms.description.strip()
    pledge.action = " ".join(terms.action.split())
    pledge.next_steps = terms.next_steps.strip()
    if not pledge.of_time:
        _fund_for_edit(
            session, pledge, terms.fund_slug, actor_id=actor_id, neighbourhood=neighbourhood, now=now
        )
        pledge.amount_kind, pledge.amount = terms.amount_kind, terms.amount
    pledge.cap = terms.cap
    pledge.target_pledgers, pledge.target_amount, pledge.deadline = (
        terms.target_pledgers,
        terms.target_amount,
        terms.deadline,
    )
    pledge.allow_cash = terms.allow_cash and neighbourhood.allow_cash_pledges and not pledge.of_time
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="pledge.edited",
        subject=("pledge", pledge.id),
        now=now,
        before=before,
        after={"title": pledge.title, "amount": pledge.amount, "deadline": pledge.deadline.isoformat()},
    )
    return pledge


def _fund_for_edit(
    session: Session,
    pledge: Pledge,
    fund_slug: str | None,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    now: datetime,
) -> None:
    """Point a pledge being changed at its fund: its own (given its new words), a new own one, or another."""
    if fund_slug is not None:
        fund = funding.choose_fund(
            session,
            actor_id=actor_id,
            neighbourhood_id=pledge.neighbourhood_id,
            slug=fund_slug,
            current_fund_id=pledge.fund_id,
        )
        if fund.id != pledge.fund_id:
            pledge.fund_id, pledge.own_fund = fund.id, False
            return
    if pledge.own_fund:
        funding.reword_own_fund(session, pledge=pledge, actor_id=actor_id, now=now)
    elif fund_slug is None:
        fund = funding.open_own_fund(
            session,
            actor_id=actor_id,
            neighbourhood=neighbourhood,
            title=pledge.title,
            description=pledge.description,
            now=now,
        )
        pledge.fund_id, pledge.own_fund = fund.id, True


def get_pledge(session: Session, pledge_id: int, *, lock: bool = False) -> Pledge:
    """The pledge, optionally locked for update; NotFound otherwise."""
    statement = select(Pledge).where(Pledge.id == pledge_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    pledge = session.scalar(statement)
    if pledge is None:
        raise NotFound(_t("There is no such pledge."))
    return pledge


def visible_to(session: Session, pledge: Pledge, user_id: int | None) -> bool:
    """Drafts are seen by their creator and the committee only."""
    if pledge.status != PledgeStatus.DRAFT:
        return True
    return user_id == pledge.creator_id or can(
        session, user_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES
    )


def may_manage(session: Session, pledge: Pledge, user_id: int | None) -> bool:
    """The pledge's creator or the committee."""
    return user_id is not None and (
        user_id == pledge.creator_id or can(session, user_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    )


def list_pledges(session: Session, *, neighbourhood_id: int, user_id: int | None) -> list[Pledge]:
    """The neighbourhood's pledges, open ones first, drafts only for those who may see them."""
    pledges = session.scalars(
        select(Pledge).where(Pledge.neighbourhood_id == neighbourhood_id).order_by(Pledge.deadline.desc())
    ).all()
    order = {status: index for index, status in enumerate(PledgeStatus)}
    visible = [p for p in pledges if visible_to(session, p, user_id)]
    return sorted(visible, key=lambda p: order[p.status] if p.status != PledgeStatus.DRAFT else -1)


def progress(session: Session, pledge: Pledge) -> Progress:
    """People and money that count now (before activation: saved cards and received cash)."""
    counting = (
        COUNTS_BEFORE_ACTIVATION
        if pledge.status in (PledgeStatus.DRAFT, PledgeStatus.OPEN)
        else COUNTS_AT_COLLECTION_END | COUNTS_BEFORE_ACTIVATION
    )
    rows = session.execute(
        select(PledgeSignup.status, func.count(), func.sum(PledgeSignup.amount))
        .where(PledgeSignup.pledge_id == pledge.id)
        .group_by(PledgeSignup.status)
    ).all()
    pledgers = sum(n for status, n, _ in rows if status in counting)
    amount = sum(int(total or 0) for status, _, total in rows if status in counting)
    waiting = sum(n for status, n, _ in rows if status in ACTIVE and status not in counting)
    return Progress(pledgers, amount, waiting, pledge.target_pledgers, pledge.target_amount)


def approve_pledge(session: Session, *, actor_id: int, pledge: Pledge, now: datetime) -> Pledge:
    """Open a pledge that was waiting for the committee."""
    require(session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    pledge = get_pledge(session, pledge.id, lock=True)  # two approvals at once: the second is refused
    pledge.status = next_pledge_status(pledge.status, PledgeAction.APPROVE, pledge.kind)
    pledge.approved_by_id = actor_id
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="pledge.approved",
        subject=("pledge", pledge.id),
        now=now,
        before={"status": "draft"},
        after={"status": "open"},
    )
    record_milestone(session, pledge, Milestone.OPENED, counting=COUNTS_BEFORE_ACTIVATION, now=now)
    alerts.pledge_opened(session, pledge, now=now)
    return pledge


def cancel_pledge(session: Session, *, actor_id: int, pledge: Pledge, reason: str, now: datetime) -> Pledge:
    """Cancel a pledge before activation (committee; a reason is required); nobody is charged."""
    require(session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    if not (reason or "").strip():
        raise InvalidInput.field("reason", _t("Say why the pledge is cancelled; pledgers will be told."))
    pledge = get_pledge(session, pledge.id, lock=True)
    before = pledge.status
    pledge.status = next_pledge_status(pledge.status, PledgeAction.CANCEL, pledge.kind)
    pledge.closed_at, pledge.close_reason = now, reason.strip()[:2000]
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="pledge.cancelled",
        subject=("pledge", pledge.id),
        now=now,
        before={"status": before},
        after={"status": pledge.status},
        reason=pledge.close_reason,
    )
    record_milestone(session, pledge, Milestone.CANCELLED, counting=COUNTS_BEFORE_ACTIVATION, now=now)
    tell_pledgers(
        session,
        pledge,
        _t("Pledge cancelled") if pledge.of_time else _t("Pledge cancelled: nobody will be charged"),
        "pledges/cancelled",
        {"reason": pledge.close_reason},
    )
    return pledge


def tell_pledgers(session: Session, pledge: Pledge, subject: str, template: str, context: dict) -> None:
    """Email everyone with an active pledge (after commit)."""
    for signup in session.scalars(select(PledgeSignup).where(PledgeSignup.pledge_id == pledge.id)):
        if signup.status in ACTIVE:
            tell(session, signup, subject, template, context)


def tell(
    session: Session, signup: PledgeSignup, subject: str, template: str, context: dict | None = None
) -> None:
    """Email one pledger about their pledge (after commit)."""
    from pledgebank.accounts.models import User

    user = session.get_one(User, signup.user_id)
    pledge = signup.pledge
    send_after_commit(
        session,
        Email(
            user.email,
            _t("%(subject)s: %(title)s", subject=subject, title=pledge.title),
            template,
            {"name": user.display_name, **pledger_facts(session, signup), **(context or {})},
        ),
    )


def pledger_facts(session: Session, signup: PledgeSignup) -> dict:
    """What an email to a pledger may say about their pledge, read from its state when the email is asked
    for: whether a card is saved (its last four digits), whether the treasurer has their cash, where the
    pledge has got, and how to reach the neighbourhood (plain values: emails are rendered after commit)."""
    pledge = signup.pledge
    card_saved = signup.method == "card" and signup.payment_method_id is not None
    return {
        "pledge_id": pledge.id,
        "title": pledge.title,
        "amount": signup.amount,
        "currency": pledge.currency,
        "method": signup.method,
        "card_last4": signup.card_last4 if card_saved else None,
        "cash_received": signup.method == "cash" and signup.status in CASH_IN_HAND,
        "needs_action": signup.status == SignupStatus.ACTION_NEEDED,
        "pledge_status": pledge.status,
        "deadline": pledge.deadline,
        "collection_ends_at": pledge.collection_ends_at,
        "reach": reach(session, pledge.neighbourhood_id),
    }
