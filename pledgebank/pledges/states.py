"""The pledge and signup state machines, as pure tables: (state, action) -> next state, or refused."""

from __future__ import annotations

from enum import StrEnum

from pledgebank.state_tables import (
    InvalidTransition as InvalidTransition,  # raised by next_*, caught from here
)
from pledgebank.state_tables import Transitions


class PledgeStatus(StrEnum):
    """A pledge's life: awaiting approval, open, collecting (activated), then one of three endings."""

    DRAFT = "draft"
    OPEN = "open"
    COLLECTING = "collecting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PledgeKind(StrEnum):
    """What a pledge asks of each person: money (card or cash, through the ledger) or time (nothing paid)."""

    MONEY = "money"
    TIME = "time"


class PledgeAction(StrEnum):
    """What can happen to a pledge."""

    APPROVE = "approve"
    ACTIVATE = "activate"
    SUCCEED = "succeed"
    FAIL = "fail"
    CANCEL = "cancel"


class SignupStatus(StrEnum):
    """How far one person's pledge has got."""

    CARD_PENDING = "card_pending"  # pledged; the card is not saved yet (does not count)
    CARD_SAVED = "card_saved"  # a card is saved for later (counts)
    CASH_PROMISED = "cash_promised"  # will hand cash to the treasurer (does not count yet)
    CASH_RECEIVED = "cash_received"  # the treasurer has the cash (counts)
    HELD = "held"  # the card has a hold for the amount (counts at the end of collection)
    ACTION_NEEDED = "action_needed"  # the hold was declined or needs authentication; the pledger is asked
    CAPTURED = "captured"  # the card was charged
    CASH_KEPT = "cash_kept"  # the pledge succeeded and the cash became the fund's
    RELEASED = "released"  # the pledge failed or was cancelled; nothing was taken
    CASH_RETURNED = "cash_returned"  # the pledge failed or was cancelled; the cash goes back
    LAPSED = "lapsed"  # the pledge succeeded without this payment (no hold in time)
    WITHDRAWN = "withdrawn"  # the pledger withdrew before activation
    SIGNED = "signed"  # a pledge of time (no money): counts as soon as it is made


class SignupAction(StrEnum):
    """What can happen to a signup."""

    SAVE_CARD = "save_card"
    RECORD_CASH = "record_cash"
    WITHDRAW = "withdraw"
    PLEDGE_AGAIN = "pledge_again"
    HOLD = "hold"
    HOLD_FAILED = "hold_failed"
    NEW_CARD = "new_card"
    CAPTURE = "capture"
    KEEP_CASH = "keep_cash"
    RELEASE = "release"
    RETURN_CASH = "return_cash"
    LAPSE = "lapse"


S, A = SignupStatus, SignupAction
P, PA = PledgeStatus, PledgeAction

PLEDGE_TRANSITIONS: dict[tuple[PledgeStatus, PledgeAction], PledgeStatus] = {
    (P.DRAFT, PA.APPROVE): P.OPEN,
    (P.DRAFT, PA.CANCEL): P.CANCELLED,
    (P.DRAFT, PA.FAIL): P.FAILED,
    (P.OPEN, PA.ACTIVATE): P.COLLECTING,
    (P.OPEN, PA.FAIL): P.FAILED,
    (P.OPEN, PA.CANCEL): P.CANCELLED,
    (P.COLLECTING, PA.SUCCEED): P.SUCCEEDED,
    (P.COLLECTING, PA.FAIL): P.FAILED,
}

# A pledge of time has nothing to collect: it succeeds the moment its target is met (and keeps taking
# sign-ups until its deadline), or fails at the deadline.
TIME_PLEDGE_TRANSITIONS: dict[tuple[PledgeStatus, PledgeAction], PledgeStatus] = {
    (P.DRAFT, PA.APPROVE): P.OPEN,
    (P.DRAFT, PA.CANCEL): P.CANCELLED,
    (P.DRAFT, PA.FAIL): P.FAILED,
    (P.OPEN, PA.SUCCEED): P.SUCCEEDED,
    (P.OPEN, PA.FAIL): P.FAILED,
    (P.OPEN, PA.CANCEL): P.CANCELLED,
}

SIGNUP_TRANSITIONS: dict[tuple[SignupStatus, SignupAction], SignupStatus] = {
    (S.CARD_PENDING, A.SAVE_CARD): S.CARD_SAVED,
    (S.CARD_PENDING, A.WITHDRAW): S.WITHDRAWN,
    (S.CARD_PENDING, A.RELEASE): S.RELEASED,
    (S.CARD_PENDING, A.LAPSE): S.LAPSED,
    (S.CARD_SAVED, A.WITHDRAW): S.WITHDRAWN,
    (S.CARD_SAVED, A.HOLD): S.HELD,
    (S.CARD_SAVED, A.HOLD_FAILED): S.ACTION_NEEDED,
    (S.CARD_SAVED, A.CAPTURE): S.CAPTURED,
    (S.CARD_SAVED, A.RELEASE): S.RELEASED,
    (S.CARD_SAVED, A.LAPSE): S.LAPSED,
    (S.CASH_PROMISED, A.RECORD_CASH): S.CASH_RECEIVED,
    (S.CASH_PROMISED, A.WITHDRAW): S.WITHDRAWN,
    (S.CASH_PROMISED, A.RELEASE): S.RELEASED,
    (S.CASH_PROMISED, A.LAPSE): S.LAPSED,
    (S.CASH_RECEIVED, A.WITHDRAW): S.CASH_RETURNED,
    (S.CASH_RECEIVED, A.KEEP_CASH): S.CASH_KEPT,
    (S.CASH_RECEIVED, A.RETURN_CASH): S.CASH_RETURNED,
    (S.HELD, A.CAPTURE): S.CAPTURED,
    (S.HELD, A.RELEASE): S.RELEASED,
    (S.HELD, A.LAPSE): S.LAPSED,
    (S.HELD, A.HOLD_FAILED): S.ACTION_NEEDED,  # released at Stripe before collection ended
    (S.ACTION_NEEDED, A.HOLD): S.HELD,
    (S.ACTION_NEEDED, A.NEW_CARD): S.CARD_PENDING,
    (S.ACTION_NEEDED, A.CAPTURE): S.CAPTURED,
    (S.ACTION_NEEDED, A.RELEASE): S.RELEASED,
    (S.ACTION_NEEDED, A.LAPSE): S.LAPSED,
    (S.WITHDRAWN, A.PLEDGE_AGAIN): S.CARD_PENDING,
    (S.RELEASED, A.PLEDGE_AGAIN): S.CARD_PENDING,
    (S.CASH_RETURNED, A.PLEDGE_AGAIN): S.CARD_PENDING,
    (S.LAPSED, A.PLEDGE_AGAIN): S.CARD_PENDING,  # went ahead without them; they may still pay in late
    (S.SIGNED, A.WITHDRAW): S.WITHDRAWN,
    (S.SIGNED, A.RELEASE): S.RELEASED,  # the pledge of time failed or was cancelled: nobody is held to it
}

# Signups that count towards the threshold before activation, and the money that counts at the end.
COUNTS_BEFORE_ACTIVATION = frozenset({S.CARD_SAVED, S.CASH_RECEIVED, S.SIGNED})
COUNTS_AT_COLLECTION_END = frozenset({S.HELD, S.CASH_RECEIVED, S.CAPTURED, S.CASH_KEPT})
ACTIVE = frozenset(
    {
        S.CARD_PENDING,
        S.CARD_SAVED,
        S.CASH_PROMISED,
        S.CASH_RECEIVED,
        S.HELD,
        S.ACTION_NEEDED,
        S.CAPTURED,
        S.CASH_KEPT,
        S.SIGNED,
    }
)
PAID = frozenset({S.CAPTURED, S.CASH_KEPT})


PLEDGES = Transitions(PLEDGE_TRANSITIONS, thing="a pledge")
TIME_PLEDGES = Transitions(TIME_PLEDGE_TRANSITIONS, thing="a pledge")
SIGNUPS = Transitions(SIGNUP_TRANSITIONS, thing="a pledge")
next_signup_status = SIGNUPS.next
can_signup = SIGNUPS.allows


def next_pledge_status(
    current: PledgeStatus, action: PledgeAction, kind: str = PledgeKind.MONEY
) -> PledgeStatus:
    """The pledge's state after the action, by the table of its kind; raise InvalidTransition if it does not
    apply."""
    return (TIME_PLEDGES if kind == PledgeKind.TIME else PLEDGES).next(current, action)
