"""The levy and charge state machines, the approval quorum and the retry schedule, as tables."""

from __future__ import annotations

import pytest

from pledgebank.levies.states import (
    CHARGE_TRANSITIONS,
    ChargeAction,
    ChargeStatus,
    InvalidTransition,
    LevyAction,
    LevyStatus,
    can_charge,
    next_attempt_offset,
    next_charge_status,
    next_levy_status,
    parse_retry_days,
    quorum_met,
)

C, A = ChargeStatus, ChargeAction

# (state, action) -> next state; "-" refused.
CHARGES = """
           pay   decline   give_up   waive
due        paid  retrying  arrears   waived
retrying   paid  retrying  arrears   waived
arrears    paid  arrears   -         waived
paid       -     -         -         -
waived     -     -         -         -
"""


def _table():
    header, *rows = [line.split() for line in CHARGES.strip().splitlines()]
    return {
        (C(row[0]), A(action)): None if cell == "-" else C(cell)
        for row in rows
        for action, cell in zip(header, row[1:], strict=True)
    }


@pytest.mark.parametrize(("pair", "expected"), sorted(_table().items()), ids=str)
def test_charge_transitions(pair, expected):
    state, action = pair
    assert can_charge(state, action) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_charge_status(state, action)
    else:
        assert next_charge_status(state, action) == expected


def test_the_table_covers_every_pair():
    assert set(_table()) == {(s, a) for s in C for a in A}
    assert {pair for pair, to in _table().items() if to} == set(CHARGE_TRANSITIONS)


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (LevyStatus.DRAFT, LevyAction.APPROVE, LevyStatus.OPEN),
        (LevyStatus.OPEN, LevyAction.START, LevyStatus.ACTIVE),
        (LevyStatus.ACTIVE, LevyAction.END, LevyStatus.ENDED),
        (LevyStatus.OPEN, LevyAction.END, LevyStatus.ENDED),
        (LevyStatus.DRAFT, LevyAction.START, None),
        (LevyStatus.ACTIVE, LevyAction.APPROVE, None),
        (LevyStatus.ENDED, LevyAction.START, None),
    ],
)
def test_levy_transitions(state, action, expected):
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_levy_status(state, action)
    else:
        assert next_levy_status(state, action) == expected


R = frozenset


@pytest.mark.parametrize(
    ("approvers", "met"),
    [
        ([], False),
        ([R({"resident", "chair"})], False),  # the chair alone
        ([R({"resident", "committee"})], False),
        ([R({"resident", "committee"}), R({"resident", "committee", "treasurer"})], False),  # no chair
        ([R({"resident", "chair"}), R({"resident", "committee"})], True),
        ([R({"resident", "committee"}), R({"resident", "chair"})], True),  # in either order
        ([R({"resident", "chair"}), R({"resident", "chair"})], True),  # two chairs
        ([R({"resident", "chair", "committee"})], False),  # one person holding both roles is one person
        ([R({"resident", "chair"}), R({"resident", "treasurer"})], False),  # a treasurer is not committee
        ([R({"resident", "treasurer"}), R({"resident", "committee"}), R({"resident", "chair"})], True),
    ],
)
def test_the_quorum_is_the_chair_plus_one_committee_member(approvers, met):
    assert quorum_met(approvers) is met


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("1,3,7", (1, 3, 7)),
        (" 2 , 5 ", (2, 5)),
        ("1", (1,)),
        ("1,2,3,4,5,6,7,8,9,90", tuple([*range(1, 10), 90])),
    ],
)
def test_retry_schedules(text, days):
    assert parse_retry_days(text) == days


@pytest.mark.parametrize("text", ["", "0,3", "3,1", "1,1", "1,x", "1,91", "1,2,3,4,5,6,7,8,9,10,11"])
def test_bad_retry_schedules_are_refused(text):
    with pytest.raises(ValueError):
        parse_retry_days(text)


@pytest.mark.parametrize(
    ("attempt", "offset"),
    [(1, 1), (2, 3), (3, 7), (4, None)],  # attempt 1 is on the due date
)
def test_each_attempt_is_followed_by_the_next_retry_day_until_the_last(attempt, offset):
    assert next_attempt_offset(attempt, (1, 3, 7)) == offset
