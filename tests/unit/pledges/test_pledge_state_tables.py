"""The pledge and signup state machines, checked for every (state, action) pair against tables written out
here by hand from the design: a pair not listed must be refused with InvalidTransition."""

from __future__ import annotations

import itertools

import pytest

from pledgebank.errors import Conflict
from pledgebank.pledges.states import (
    ACTIVE,
    COUNTS_AT_COLLECTION_END,
    COUNTS_BEFORE_ACTIVATION,
    PAID,
    InvalidTransition,
    PledgeAction,
    PledgeKind,
    PledgeStatus,
    SignupAction,
    SignupStatus,
    can_signup,
    next_pledge_status,
    next_signup_status,
)

P, PA = PledgeStatus, PledgeAction
S, A = SignupStatus, SignupAction

# draft -> open -> collecting (activated) -> succeeded | failed; cancelled only before activation.
EXPECTED_PLEDGE = {
    (P.DRAFT, PA.APPROVE): P.OPEN,
    (P.DRAFT, PA.CANCEL): P.CANCELLED,
    (P.DRAFT, PA.FAIL): P.FAILED,
    (P.OPEN, PA.ACTIVATE): P.COLLECTING,
    (P.OPEN, PA.FAIL): P.FAILED,
    (P.OPEN, PA.CANCEL): P.CANCELLED,
    (P.COLLECTING, PA.SUCCEED): P.SUCCEEDED,
    (P.COLLECTING, PA.FAIL): P.FAILED,
}

EXPECTED_SIGNUP = {
    # Pledged by card, no card yet: a card may be saved; withdrawn, released or lapsed.
    (S.CARD_PENDING, A.SAVE_CARD): S.CARD_SAVED,
    (S.CARD_PENDING, A.WITHDRAW): S.WITHDRAWN,
    (S.CARD_PENDING, A.RELEASE): S.RELEASED,
    (S.CARD_PENDING, A.LAPSE): S.LAPSED,
    # A saved card: held (or charged at once after success), or the hold fails; withdrawn before activation.
    (S.CARD_SAVED, A.WITHDRAW): S.WITHDRAWN,
    (S.CARD_SAVED, A.HOLD): S.HELD,
    (S.CARD_SAVED, A.HOLD_FAILED): S.ACTION_NEEDED,
    (S.CARD_SAVED, A.CAPTURE): S.CAPTURED,
    (S.CARD_SAVED, A.RELEASE): S.RELEASED,
    (S.CARD_SAVED, A.LAPSE): S.LAPSED,
    # Cash promised: the treasurer records it, or it is withdrawn, released or lapsed.
    (S.CASH_PROMISED, A.RECORD_CASH): S.CASH_RECEIVED,
    (S.CASH_PROMISED, A.WITHDRAW): S.WITHDRAWN,
    (S.CASH_PROMISED, A.RELEASE): S.RELEASED,
    (S.CASH_PROMISED, A.LAPSE): S.LAPSED,
    # Cash in hand: kept on success, handed back on failure or withdrawal.
    (S.CASH_RECEIVED, A.WITHDRAW): S.CASH_RETURNED,
    (S.CASH_RECEIVED, A.KEEP_CASH): S.CASH_KEPT,
    (S.CASH_RECEIVED, A.RETURN_CASH): S.CASH_RETURNED,
    # A hold: captured on success, released otherwise; lost if Stripe releases it during collection.
    (S.HELD, A.CAPTURE): S.CAPTURED,
    (S.HELD, A.RELEASE): S.RELEASED,
    (S.HELD, A.LAPSE): S.LAPSED,
    (S.HELD, A.HOLD_FAILED): S.ACTION_NEEDED,
    # A failed hold: fixed (authenticated, or another card), or given up on.
    (S.ACTION_NEEDED, A.HOLD): S.HELD,
    (S.ACTION_NEEDED, A.NEW_CARD): S.CARD_PENDING,
    (S.ACTION_NEEDED, A.CAPTURE): S.CAPTURED,
    (S.ACTION_NEEDED, A.RELEASE): S.RELEASED,
    (S.ACTION_NEEDED, A.LAPSE): S.LAPSED,
    # Ended without paying: the person may pledge again (a lapsed one as a late pledge, paid at once).
    (S.WITHDRAWN, A.PLEDGE_AGAIN): S.CARD_PENDING,
    (S.RELEASED, A.PLEDGE_AGAIN): S.CARD_PENDING,
    (S.CASH_RETURNED, A.PLEDGE_AGAIN): S.CARD_PENDING,
    (S.LAPSED, A.PLEDGE_AGAIN): S.CARD_PENDING,
    # A pledge of time: counts at once; withdrawn before success, or released when the pledge ends unmet.
    (S.SIGNED, A.WITHDRAW): S.WITHDRAWN,
    (S.SIGNED, A.RELEASE): S.RELEASED,
}

# A pledge of time: draft -> open -> succeeded (the moment the target is met: nothing to collect) | failed
# at the deadline; cancelled only while open. It never collects.
EXPECTED_TIME_PLEDGE = {
    (P.DRAFT, PA.APPROVE): P.OPEN,
    (P.DRAFT, PA.CANCEL): P.CANCELLED,
    (P.DRAFT, PA.FAIL): P.FAILED,
    (P.OPEN, PA.SUCCEED): P.SUCCEEDED,
    (P.OPEN, PA.FAIL): P.FAILED,
    (P.OPEN, PA.CANCEL): P.CANCELLED,
}

PLEDGE_PAIRS = list(itertools.product(PledgeStatus, PledgeAction))
SIGNUP_PAIRS = list(itertools.product(SignupStatus, SignupAction))


def test_the_tables_cover_every_state():
    assert {state for state, _ in EXPECTED_PLEDGE} | set(EXPECTED_PLEDGE.values()) == set(PledgeStatus)
    assert {state for state, _ in EXPECTED_SIGNUP} | set(EXPECTED_SIGNUP.values()) == set(SignupStatus)


@pytest.mark.parametrize(("state", "action"), PLEDGE_PAIRS, ids=lambda v: v.value)
def test_every_pledge_pair(state, action):
    expected = EXPECTED_PLEDGE.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition) as refused:
            next_pledge_status(state, action)
        assert state.value in str(refused.value) and action.value in str(refused.value)
    else:
        assert next_pledge_status(state, action) is expected


@pytest.mark.parametrize(("state", "action"), PLEDGE_PAIRS, ids=lambda v: v.value)
def test_every_pledge_of_time_pair(state, action):
    expected = EXPECTED_TIME_PLEDGE.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_pledge_status(state, action, PledgeKind.TIME)
    else:
        assert next_pledge_status(state, action, PledgeKind.TIME) is expected


def test_a_pledge_of_time_never_collects():
    assert P.COLLECTING not in {*EXPECTED_TIME_PLEDGE.values(), *(s for s, _ in EXPECTED_TIME_PLEDGE)}
    with pytest.raises(InvalidTransition):
        next_pledge_status(P.OPEN, PA.ACTIVATE, PledgeKind.TIME)


@pytest.mark.parametrize(("state", "action"), SIGNUP_PAIRS, ids=lambda v: v.value)
def test_every_signup_pair(state, action):
    expected = EXPECTED_SIGNUP.get((state, action))
    assert can_signup(state, action) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition) as refused:
            next_signup_status(state, action)
        assert state.value.replace("_", " ") in str(refused.value)
    else:
        assert next_signup_status(state, action) is expected


def test_a_refused_transition_is_a_conflict_with_its_own_code():
    with pytest.raises(Conflict) as refused:
        next_signup_status(S.CAPTURED, A.WITHDRAW)
    assert refused.value.code == "invalid_transition"


@pytest.mark.parametrize("state", [P.SUCCEEDED, P.FAILED, P.CANCELLED])
def test_ended_pledges_accept_nothing(state):
    for action in PledgeAction:
        with pytest.raises(InvalidTransition):
            next_pledge_status(state, action)


@pytest.mark.parametrize("state", [S.CAPTURED, S.CASH_KEPT])
def test_paid_signups_accept_nothing(state):
    assert not any(can_signup(state, action) for action in SignupAction)


def test_what_counts_and_what_is_active():
    assert {S.CARD_SAVED, S.CASH_RECEIVED, S.SIGNED} == COUNTS_BEFORE_ACTIVATION
    assert {S.HELD, S.CASH_RECEIVED, S.CAPTURED, S.CASH_KEPT} == COUNTS_AT_COLLECTION_END
    assert {S.CAPTURED, S.CASH_KEPT} == PAID
    ended = {S.RELEASED, S.CASH_RETURNED, S.LAPSED, S.WITHDRAWN}
    assert set(SignupStatus) - ended == ACTIVE
    # Whatever counts is active, and only active pledges can be withdrawn or released.
    assert COUNTS_BEFORE_ACTIVATION | COUNTS_AT_COLLECTION_END <= ACTIVE
    for state in ended:
        assert not can_signup(state, A.WITHDRAW) and not can_signup(state, A.RELEASE)
