"""The pledges' part of `run-due`: deadlines, holds, the end of collection, captures and releases.

Every step is idempotent and takes its own short transactions, so run-due may run every minute and twice
at once: pledges are decided under their row lock (skipped if another runner holds it), and each Stripe call
is claimed through its attempt row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.services import book_of, post
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.payments.gateway import GatewayUnavailable
from pledgebank.pledges.card_work import Defer, do_step
from pledgebank.pledges.milestones import Milestone, record_milestone
from pledgebank.pledges.models import MatchOffer, Pledge, PledgeSignup
from pledgebank.pledges.payments import Payments
from pledgebank.pledges.recovery import recover_abandoned
from pledgebank.pledges.services import meets_targets, tell_pledgers
from pledgebank.pledges.signups import keep_cash, return_cash
from pledgebank.pledges.states import (
    COUNTS_AT_COLLECTION_END,
    COUNTS_BEFORE_ACTIVATION,
    InvalidTransition,
    PledgeAction,
    PledgeStatus,
    SignupAction,
    SignupStatus,
    next_pledge_status,
    next_signup_status,
)
from pledgebank.text import _t

S = SignupStatus
CLOSED = (PledgeStatus.FAILED, PledgeStatus.CANCELLED)
WAITING = (PledgeStatus.DRAFT.value, PledgeStatus.OPEN.value)  # not activated: fail at the deadline
HOLD_GRACE = timedelta(minutes=15)  # on the queue, how long a pledge's end waits for holds it queued
FINISHED = (S.CAPTURED, S.CASH_KEPT, S.RELEASED, S.CASH_RETURNED, S.LAPSED, S.WITHDRAWN)


def run_due(ctx: Payments, *, now: datetime, defer: Defer | None = None) -> Counter[str]:
    """Do every piece of pledge work that is due; return what was done, by kind.

    When Stripe cannot be reached, the card work of this run waits (its attempts are recovered later) and
    everything else still happens: deadlines, decisions, cash, and the levies and grants after this. With
    `defer`, each pledger's card step is queued as its own job instead of run here.
    """
    done: Counter[str] = Counter()
    card = _CardWork(ctx, now, done, defer)
    done["pledges failed at deadline"] += _fail_expired(ctx, now)
    for signup_id, pledge_id in _signups(ctx, (PledgeStatus.COLLECTING,), (S.CARD_SAVED,)):
        done["holds placed"] += card("hold", signup_id, pledge_id) is not None
    done["collections ended"] += _end_collections(ctx, now, waiting=card.holds_waiting)
    _settle_succeeded(ctx, now, card)
    _release_closed(ctx, now, card)
    done["abandoned payments settled"] += _or_postpone(done, recover_abandoned, ctx, now=now) or 0
    done["cards released"] += _or_postpone(done, _release_cards, ctx) or 0
    return +done


def _or_postpone(done: Counter[str], work, *args, **kwargs):
    """Run one piece of card work; if Stripe is unreachable, count it as postponed and go on."""
    try:
        return work(*args, **kwargs)
    except GatewayUnavailable:
        done["card work postponed (Stripe unreachable)"] += 1
        return None


class _CardWork:
    """Runs one pledger's card step now, or queues it (then counted as queued, and its result unknown)."""

    def __init__(self, ctx: Payments, now: datetime, done: Counter[str], defer: Defer | None) -> None:
        self.ctx, self.now, self.done, self.defer = ctx, now, done, defer
        self.holds_waiting: set[int] = set()  # pledges with a hold queued: their collection ends next time

    def __call__(self, step: str, signup_id: int, pledge_id: int) -> S | None:
        if self.defer is None:
            return _or_postpone(self.done, do_step, self.ctx, step, signup_id, now=self.now)
        self.defer(step, signup_id, pledge_id)
        self.done["card payments queued"] += 1
        if step == "hold":
            self.holds_waiting.add(pledge_id)
        return None


def _signups(ctx: Payments, pledge_states, signup_states, *, extra=None) -> list[tuple[int, int]]:
    with unit_of_work(ctx.sessions) as session:
        statement = (
            select(PledgeSignup.id, PledgeSignup.pledge_id)
            .join(Pledge)
            .where(
                Pledge.status.in_([s.value for s in pledge_states]),
                PledgeSignup.status.in_([s.value for s in signup_states]),
            )
            .order_by(PledgeSignup.id)
        )
        if extra is not None:
            statement = statement.where(extra)
        return [(signup_id, pledge_id) for signup_id, pledge_id in session.execute(statement)]


def _lock_pledge(session: Session, pledge_id: int) -> Pledge | None:
    # SKIP LOCKED: when another runner is deciding this pledge, leave it to them.
    return session.scalar(
        select(Pledge)
        .where(Pledge.id == pledge_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def _fail_expired(ctx: Payments, now: datetime) -> int:
    with unit_of_work(ctx.sessions) as session:
        ids = list(
            session.scalars(select(Pledge.id).where(Pledge.status.in_(WAITING), Pledge.deadline <= now))
        )
    failed = 0
    for pledge_id in ids:
        with unit_of_work(ctx.sessions) as session:
            pledge = _lock_pledge(session, pledge_id)
            if pledge is None or pledge.status not in WAITING or pledge.deadline > now:
                continue
            pledge.status = next_pledge_status(pledge.status, PledgeAction.FAIL, pledge.kind)
            pledge.closed_at, pledge.close_reason = now, "The deadline passed before the target was met."
            record_milestone(session, pledge, Milestone.FAILED, counting=COUNTS_BEFORE_ACTIVATION, now=now)
            tell_pledgers(
                session,
                pledge,
                _t("Target not reached: it is off")
                if pledge.of_time
                else _t("Target not reached: nobody will be charged"),
                "pledges/failed",
                {"reason": pledge.close_reason},
            )
            failed += 1
    return failed


def _end_collections(ctx: Payments, now: datetime, *, waiting: AbstractSet[int] = frozenset()) -> int:
    with unit_of_work(ctx.sessions) as session:
        ids = list(
            session.scalars(
                select(Pledge.id).where(
                    Pledge.status == PledgeStatus.COLLECTING.value, Pledge.collection_ends_at <= now
                )
            )
        )
    decided = 0
    for pledge_id in ids:
        with unit_of_work(ctx.sessions) as session:
            pledge = _lock_pledge(session, pledge_id)
            if (
                pledge is None
                or pledge.status != PledgeStatus.COLLECTING
                or pledge.collection_ends_at is None
                or pledge.collection_ends_at > now
                # Holds just queued get one grace period to count, as run-due's own holds before the end do.
                or (pledge_id in waiting and pledge.collection_ends_at > now - HOLD_GRACE)
            ):
                continue
            counted = [s for s in pledge.signups if s.status in COUNTS_AT_COLLECTION_END]
            total = sum(s.amount for s in counted)
            at_end = COUNTS_AT_COLLECTION_END
            record_milestone(session, pledge, Milestone.COLLECTION_ENDED, counting=at_end, now=now)
            if meets_targets(pledge.target_pledgers, pledge.target_amount, len(counted), total):
                record_milestone(session, pledge, Milestone.SUCCEEDED, counting=at_end, now=now)
                pledge.status = next_pledge_status(pledge.status, PledgeAction.SUCCEED)
                pledge.closed_at = now
                _owe_matches(session, pledge, total, now, ctx.zone)
                tell_pledgers(
                    session, pledge, _t("Success: the pledge is going ahead"), "pledges/succeeded", {}
                )
            else:
                record_milestone(session, pledge, Milestone.FAILED, counting=at_end, now=now)
                pledge.status = next_pledge_status(pledge.status, PledgeAction.FAIL)
                pledge.closed_at = now
                pledge.close_reason = (
                    "Not enough payments went through during collection, so nobody is charged."
                )
                tell_pledgers(
                    session,
                    pledge,
                    _t("Target not reached: nobody will be charged"),
                    "pledges/failed",
                    {"reason": pledge.close_reason},
                )
            decided += 1
    return decided


def match_amount(offer: MatchOffer, pledged: int) -> int:
    """What a sponsor owes for the money pledged: ratio applied, rounded down to the penny, capped."""
    return min(offer.cap, pledged * offer.ratio_sponsor // offer.ratio_pledged)


def _owe_matches(session: Session, pledge: Pledge, total: int, now: datetime, zone: str) -> None:
    book = book_of(session, pledge.neighbourhood_id)
    fund = session.execute(select(Fund.slug).where(Fund.id == pledge.fund_id)).scalar_one()
    for offer in pledge.offers:
        if offer.status != "offered":
            continue
        owed = match_amount(offer, total)
        offer.status, offer.owed_amount = ("owed", owed) if owed > 0 else ("void", 0)
        if owed > 0:
            post(
                session,
                book=book,
                entry=rules.match_owed(
                    amount=Money(owed, pledge.currency),
                    fund=fund,
                    key=f"match-offer:{offer.id}:owed",
                    on=local_date(now, zone),
                    source={"pledge": pledge.id, "match_offer": offer.id},
                ),
                now=now,
            )


def _settle_succeeded(ctx: Payments, now: datetime, card: _CardWork) -> None:
    done = card.done
    won = (PledgeStatus.SUCCEEDED,)
    for signup_id, pledge_id in _signups(ctx, won, (S.HELD,)):
        done["payments captured"] += card("capture", signup_id, pledge_id) == S.CAPTURED
    for signup_id, pledge_id in _signups(ctx, won, (S.CARD_SAVED,)):
        done["late pledges charged"] += card("charge", signup_id, pledge_id) is not None
    for signup_id, pledge_id in _signups(ctx, won, (S.ACTION_NEEDED,)):
        done["payments lapsed"] += card("lapse", signup_id, pledge_id) == S.LAPSED
    for signup_id, _pledge in _signups(ctx, won, (S.CASH_RECEIVED,)):
        with unit_of_work(ctx.sessions) as session:
            signup = session.get_one(PledgeSignup, signup_id, with_for_update=True)
            if signup.status == S.CASH_RECEIVED:
                keep_cash(session, signup, now=now, zone=ctx.zone)
                done["cash kept"] += 1
    after_deadline = Pledge.deadline <= now
    for signup_id, _pledge in _signups(ctx, won, (S.CARD_PENDING, S.CASH_PROMISED), extra=after_deadline):
        done["payments lapsed"] += _mark(ctx, signup_id, SignupAction.LAPSE, now)


def _release_closed(ctx: Payments, now: datetime, card: _CardWork) -> None:
    done = card.done
    for signup_id, pledge_id in _signups(ctx, CLOSED, (S.HELD, S.ACTION_NEEDED)):
        done["holds released"] += card("release", signup_id, pledge_id) == S.RELEASED
    for signup_id, _pledge in _signups(
        ctx, CLOSED, (S.CARD_SAVED, S.CARD_PENDING, S.CASH_PROMISED, S.SIGNED)
    ):
        done["pledges released"] += _mark(ctx, signup_id, SignupAction.RELEASE, now)
    for signup_id, _pledge in _signups(ctx, CLOSED, (S.CASH_RECEIVED,)):
        with unit_of_work(ctx.sessions) as session:
            signup = session.get_one(PledgeSignup, signup_id, with_for_update=True)
            if signup.status == S.CASH_RECEIVED:
                return_cash(session, signup, now=now, zone=ctx.zone)
                done["cash returned"] += 1
    with unit_of_work(ctx.sessions) as session:
        for offer in session.scalars(
            select(MatchOffer)
            .join(Pledge)
            .where(Pledge.status.in_([s.value for s in CLOSED]), MatchOffer.status == "offered")
        ):
            offer.status = "void"


def _mark(ctx: Payments, signup_id: int, action: SignupAction, now: datetime) -> int:
    with unit_of_work(ctx.sessions) as session:
        signup = session.get_one(PledgeSignup, signup_id, with_for_update=True)
        try:
            signup.status = next_signup_status(signup.status, action)
        except InvalidTransition:
            return 0  # it moved on since we looked
        signup.updated_at = now
        return 1


def _release_cards(ctx: Payments) -> int:
    """Detach saved cards that no pledge needs any more."""
    with unit_of_work(ctx.sessions) as session:
        rows = session.execute(
            select(PledgeSignup.id, PledgeSignup.payment_method_id).where(
                PledgeSignup.payment_method_id.is_not(None),
                PledgeSignup.status.in_([s.value for s in FINISHED]),
            )
        ).all()
    for signup_id, method in rows:
        if method is None:  # chosen with a card above
            continue
        ctx.gateway.release_card(method)
        with unit_of_work(ctx.sessions) as session:
            signup = session.get_one(PledgeSignup, signup_id, with_for_update=True)
            if signup.payment_method_id == method and signup.status in FINISHED:
                signup.payment_method_id = None
    return len(rows)
