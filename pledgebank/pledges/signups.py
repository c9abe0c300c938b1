"""Signing a pledge, withdrawing, cash handed to the treasurer, saved cards, and activation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.services import book_of, check_open, post, post_many
from pledgebank.clock import local_date
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.ledger import chart, held
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.money import Money
from pledgebank.payments.gateway import CardSetup
from pledgebank.pledges.milestones import Milestone, record_milestone
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.services import get_pledge, progress
from pledgebank.pledges.states import (
    ACTIVE,
    COUNTS_BEFORE_ACTIVATION,
    PledgeAction,
    PledgeStatus,
    SignupAction,
    SignupStatus,
    can_signup,
    next_pledge_status,
    next_signup_status,
)
from pledgebank.pledges.telling import tell, tell_pledgers
from pledgebank.pledges.terms import MAX_AMOUNT
from pledgebank.policy import Action, require
from pledgebank.text import _t

OPEN_FOR_SIGNING = (PledgeStatus.OPEN, PledgeStatus.COLLECTING, PledgeStatus.SUCCEEDED)
OPEN_FOR_WITHDRAWING = (PledgeStatus.DRAFT, PledgeStatus.OPEN)


def signup_of(session: Session, *, pledge_id: int, user_id: int | None) -> PledgeSignup | None:
    """The user's signup for the pledge, if any."""
    if user_id is None:
        return None
    return session.scalar(
        select(PledgeSignup).where(PledgeSignup.pledge_id == pledge_id, PledgeSignup.user_id == user_id)
    )


def get_signup(session: Session, signup_id: int, *, lock: bool = False) -> PledgeSignup:
    """A signup by id (optionally locked); NotFound otherwise."""
    statement = select(PledgeSignup).where(PledgeSignup.id == signup_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    signup = session.scalar(statement)
    if signup is None:
        raise NotFound(_t("There is no such pledge."))
    return signup


def lock_signup(session: Session, signup_id: int) -> tuple[Pledge, PledgeSignup]:
    """Lock a signup and its pledge, always pledge first, so that no two requests wait on each other."""
    pledge_id = session.scalar(select(PledgeSignup.pledge_id).where(PledgeSignup.id == signup_id))
    if pledge_id is None:
        raise NotFound(_t("There is no such pledge."))
    pledge = get_pledge(session, pledge_id, lock=True)
    return pledge, get_signup(session, signup_id, lock=True)


def _amount_for(pledge: Pledge, amount: int | None) -> int:
    if pledge.amount_kind == "fixed":
        return pledge.amount
    if amount is None or amount < pledge.amount:
        raise InvalidInput.field("amount", _t("Pledge at least the minimum amount."))
    if amount > MAX_AMOUNT:
        raise InvalidInput.field(
            "amount",
            _t("Pledge at most %(max_amount)s.", max_amount=money_words.short(MAX_AMOUNT, pledge.currency)),
        )
    return amount


def sign(
    session: Session,
    *,
    actor_id: int,
    pledge: Pledge,
    amount: int | None,
    method: str,
    card_payments: bool,
    now: datetime,
) -> PledgeSignup:
    """Pledge to a pledge: by card (a card is saved next) or cash (counted once the treasurer has it)."""
    require(session, actor_id, pledge.neighbourhood_id, Action.PLEDGE)
    pledge = get_pledge(session, pledge.id, lock=True)  # the cap and activation are decided one at a time
    if pledge.status not in OPEN_FOR_SIGNING or now >= pledge.deadline:
        raise Conflict(_t("This pledge is not taking pledges any more."))
    if pledge.of_time:
        return _sign_time(session, actor_id=actor_id, pledge=pledge, amount=amount, method=method, now=now)
    if method not in ("card", "cash"):
        raise InvalidInput.field("method", _t("Choose card or cash."))
    if method == "cash" and not pledge.allow_cash:
        raise InvalidInput.field("method", _t("This pledge takes card payments only."))
    if method == "card" and not card_payments:
        raise InvalidInput.field("method", _t("Card payments are not set up here; choose cash."))
    value = _amount_for(pledge, amount)
    signup = signup_of(session, pledge_id=pledge.id, user_id=actor_id)
    if signup is not None and signup.status in ACTIVE:
        raise Conflict(_t("You have already pledged to this."))
    if pledge.cap is not None and active_count(session, pledge) >= pledge.cap:
        raise Conflict(_t("This pledge has all the people it needs; it is full."))
    status = SignupStatus.CARD_PENDING if method == "card" else SignupStatus.CASH_PROMISED
    if signup is None:
        signup = PledgeSignup(pledge_id=pledge.id, user_id=actor_id, created_at=now, round=1)
        session.add(signup)
    else:
        next_signup_status(signup.status, SignupAction.PLEDGE_AGAIN)
        signup.round += 1
        signup.setup_intent_id = signup.payment_intent_id = signup.payment_method_id = None
        signup.decline_code = None
    signup.amount, signup.method, signup.status, signup.updated_at = value, method, status, now
    signup.pledge = pledge
    if pledge.wording_frozen_at is None:
        pledge.wording_frozen_at = now
    session.flush()  # an id for the Stripe keys; also trips the one-signup-per-person constraint
    if method == "cash":
        tell(session, signup, _t("Your pledge"), "pledges/cash_promised")
    return signup


def _sign_time(
    session: Session, *, actor_id: int, pledge: Pledge, amount: int | None, method: str, now: datetime
) -> PledgeSignup:
    """Sign a pledge of time: no money, nothing in the ledger; it counts at once, and may make the pledge
    succeed (a late signer of a pledge that has succeeded is sent what happens next straight away)."""
    if amount:
        raise InvalidInput.field("amount", _t("A pledge of time asks for no money."))
    if method not in ("time", ""):
        raise InvalidInput.field("method", _t("A pledge of time takes no payment: leave the method out."))
    signup = signup_of(session, pledge_id=pledge.id, user_id=actor_id)
    if signup is not None and signup.status in ACTIVE:
        raise Conflict(_t("You have already signed up to this."))
    if pledge.cap is not None and active_count(session, pledge) >= pledge.cap:
        raise Conflict(_t("This pledge has all the people it needs; it is full."))
    if signup is None:
        signup = PledgeSignup(pledge_id=pledge.id, user_id=actor_id, created_at=now, round=1)
        session.add(signup)
    else:
        next_signup_status(signup.status, SignupAction.PLEDGE_AGAIN)
        signup.round += 1
    signup.amount, signup.method, signup.updated_at = 0, "time", now
    signup.status = SignupStatus.SIGNED
    signup.pledge = pledge
    if pledge.wording_frozen_at is None:
        pledge.wording_frozen_at = now
    session.flush()
    if pledge.status == PledgeStatus.SUCCEEDED:
        tell(
            session,
            signup,
            _t("You're in: what happens next"),
            "pledges/time_succeeded",
            time_details(pledge),
        )
    else:
        tell(session, signup, _t("You've signed up"), "pledges/time_signed")
        maybe_activate(session, pledge, now=now)
    return signup


def time_details(pledge: Pledge) -> dict:
    """What a signer of a pledge of time is told on success."""
    return {"next_steps": pledge.next_steps, "deadline": pledge.deadline}


def active_count(session: Session, pledge: Pledge) -> int:
    """How many people's pledges are active (not withdrawn, released or returned)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(PledgeSignup)
            .where(PledgeSignup.pledge_id == pledge.id, PledgeSignup.status.in_([s.value for s in ACTIVE]))
        )
        or 0
    )


def withdraw(session: Session, *, actor_id: int, pledge: Pledge, now: datetime, zone: str) -> PledgeSignup:
    """Withdraw a pledge before the pledge activates; cash already handed over is returned."""
    pledge = get_pledge(session, pledge.id, lock=True)
    signup = signup_of(session, pledge_id=pledge.id, user_id=actor_id)
    if signup is None or signup.status not in ACTIVE:
        raise NotFound(_t("You have no pledge here to withdraw."))
    if pledge.status not in OPEN_FOR_WITHDRAWING:
        raise Conflict(_t("The pledge has activated, so pledges can no longer be withdrawn."))
    if signup.status == SignupStatus.CASH_RECEIVED:
        assert signup.cash_into is not None  # recorded with the cash
        _post_cash(
            session,
            signup,
            held.pledge_cash_returned,
            "cash-returned",
            now,
            zone,
            from_account=signup.cash_into,
        )
    # Told what the pledge was when withdrawn: a card saved or not, cash handed over or not.
    tell(session, signup, _t("Pledge withdrawn"), "pledges/withdrawn")
    signup.status = next_signup_status(signup.status, SignupAction.WITHDRAW)
    signup.updated_at = now
    return signup


def record_cash(
    session: Session,
    *,
    actor_id: int,
    signup_id: int,
    into: str,
    now: datetime,
    zone: str,
    amount: int | None = None,
    on: date | None = None,
) -> PledgeSignup:
    """The treasurer has the pledged cash (or a bank transfer), received on `on` (today by default): it
    counts from now on. A pledge counts only in full, so `amount` must be what was pledged."""
    pledge, signup = lock_signup(session, signup_id)
    require(session, actor_id, pledge.neighbourhood_id, Action.RECORD_PAYMENT)
    if into not in (chart.CASH, chart.BANK):
        raise InvalidInput.field("into", _t("Choose cash or bank transfer."))
    if amount is not None and amount != signup.amount:
        pledged = money_words.full(signup.amount, pledge.currency)
        raise InvalidInput.field(
            "amount",
            _t(
                "The pledge is for %(pledged)s and counts once paid in full: record it when all of it is in.",
                pledged=pledged,
            ),
        )
    today = local_date(now, zone)
    if on is not None and on > today:
        raise InvalidInput.field("received_on", _t("The day the money was received cannot be in the future."))
    check_open(session, book_of(session, pledge.neighbourhood_id), on or today, field="received_on")
    if pledge.status in (PledgeStatus.FAILED, PledgeStatus.CANCELLED):
        raise Conflict(_t("This pledge has closed without succeeding; do not take the money."))
    signup.status = next_signup_status(signup.status, SignupAction.RECORD_CASH)
    signup.cash_into, signup.cash_recorded_by_id, signup.updated_at = into, actor_id, now
    _post_cash(
        session, signup, held.pledge_cash_held, "cash-held", now, zone, actor_id=actor_id, into=into, on=on
    )
    tell(session, signup, _t("We have your pledge money"), "pledges/cash_received")
    if pledge.status == PledgeStatus.SUCCEEDED:
        settle_cash(session, [signup], keep=True, now=now, zone=zone)  # the pledge has already succeeded
    else:
        maybe_activate(session, pledge, now=now)
    return signup


def settle_cash(
    session: Session, signups: Sequence[PledgeSignup], *, keep: bool, now: datetime, zone: str
) -> None:
    """Keep (the pledge succeeded) or return (it failed or was cancelled) the cash held for signups of one
    pledge: each entry under its own key, sealed together."""
    if not signups:
        return
    entries = []
    fund = _fund_slug(session, signups[0].pledge)
    for signup in signups:
        signup.status = next_signup_status(
            signup.status, SignupAction.KEEP_CASH if keep else SignupAction.RETURN_CASH
        )
        signup.updated_at = now
        if keep:
            entry = _cash_entry(signup, held.pledge_cash_recognised, "cash-kept", now, zone, fund=fund)
        else:
            into = signup.cash_into or chart.CASH
            entry = _cash_entry(
                signup, held.pledge_cash_returned, "cash-returned", now, zone, fund=fund, from_account=into
            )
        entries.append(entry)
    book = book_of(session, signups[0].pledge.neighbourhood_id)
    post_many(session, book=book, entries=entries, now=now)


def _fund_slug(session: Session, pledge: Pledge) -> str:
    from pledgebank.neighbourhoods.models import Fund

    return session.get_one(Fund, pledge.fund_id).slug


def _post_cash(
    session: Session,
    signup: PledgeSignup,
    rule,
    step: str,
    now: datetime,
    zone: str,
    actor_id: int | None = None,
    on: date | None = None,
    **legs: str,
) -> None:
    pledge = signup.pledge
    fund = legs.pop("fund", None) or _fund_slug(session, pledge)
    entry = _cash_entry(signup, rule, step, now, zone, actor_id=actor_id, on=on, fund=fund, **legs)
    post(session, book=book_of(session, pledge.neighbourhood_id), entry=entry, now=now)


def _cash_entry(
    signup: PledgeSignup,
    rule,
    step: str,
    now: datetime,
    zone: str,
    *,
    fund: str,
    actor_id: int | None = None,
    on: date | None = None,
    **legs: str,
) -> JournalEntry:
    pledge = signup.pledge
    return rule(
        amount=Money(signup.amount, pledge.currency),
        key=f"pledge-signup:{signup.id}:{signup.round}:{step}",
        on=on or local_date(now, zone),
        source={"pledge": pledge.id, "signup": signup.id},
        actor_id=actor_id,
        fund=fund,
        **legs,
    )


def apply_card_setup(session: Session, *, signup_id: int, setup: CardSetup, now: datetime) -> PledgeSignup:
    """Store what saving the card came to; a saved card counts (and may activate the pledge)."""
    _pledge, signup = lock_signup(session, signup_id)
    if signup.setup_intent_id != setup.setup_intent_id:
        return signup  # a setup from an earlier round: ignore it
    if setup.status == "declined":
        signup.decline_code, signup.updated_at = setup.decline_code, now
        signup.setup_intent_id = None  # a declined SetupIntent cannot be used again
        signup.round += 1  # the next card is a new attempt: new Stripe keys, or Stripe replays this one
        return signup
    if setup.status != "saved" or not can_signup(signup.status, SignupAction.SAVE_CARD):
        return signup
    card = setup.card
    assert card is not None  # a saved setup carries its card
    signup.status = next_signup_status(signup.status, SignupAction.SAVE_CARD)
    signup.payment_method_id, signup.card_brand, signup.card_last4 = (
        card.payment_method_id,
        card.brand,
        card.last4,
    )
    signup.decline_code, signup.updated_at = None, now
    tell(session, signup, _t("Your pledge"), "pledges/card_saved", {"last4": card.last4})
    maybe_activate(session, signup.pledge, now=now)
    return signup


def maybe_activate(session: Session, pledge: Pledge, *, now: datetime) -> bool:
    """Activate the pledge if it is open and its threshold is met: exactly once, under its row lock. A pledge
    of time has nothing to collect, so it succeeds there and then, and every signer is told what happens
    next."""
    pledge = get_pledge(session, pledge.id, lock=True)
    if pledge.status != PledgeStatus.OPEN or now >= pledge.deadline:
        return False
    session.flush()
    if not progress(session, pledge).met:
        return False
    if pledge.of_time:
        pledge.status = next_pledge_status(pledge.status, PledgeAction.SUCCEED, pledge.kind)
        pledge.activated_at = pledge.closed_at = now
        tell_pledgers(
            session, pledge, _t("It's on: what happens next"), "pledges/time_succeeded", time_details(pledge)
        )
        return True
    pledge.status = next_pledge_status(pledge.status, PledgeAction.ACTIVATE)
    pledge.activated_at = now
    pledge.collection_ends_at = now + timedelta(hours=pledge.collection_window_hours)
    record_milestone(session, pledge, Milestone.ACTIVATED, counting=COUNTS_BEFORE_ACTIVATION, now=now)
    tell_pledgers(
        session,
        pledge,
        _t("It's on: the target is met"),
        "pledges/activated",
        {"collection_ends_at": pledge.collection_ends_at},
    )
    return True
