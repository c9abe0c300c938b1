"""The application state machine, every (state, action) pair, against a table written out by hand; and the
payment rule (second approval strictly above the threshold)."""

from __future__ import annotations

import pytest

from pledgebank.grants.states import (
    ApplicationAction,
    ApplicationStatus,
    InvalidTransition,
    PaymentStatus,
    allows,
    needs_second_approval,
    next_status,
    payment_status_after_recording,
)

# Rows: states; columns: actions; "." = refused, otherwise the next state by its code below.
CODES = {
    "D": "draft",
    "S": "submitted",
    "U": "under_review",
    "A": "awarded",
    "P": "part_awarded",
    "F": "deferred",
    "R": "rejected",
    "$": "paid",
    "T": "reported",
    "W": "withdrawn",
}
TABLE = """
              edit submit review withdraw award award_part defer reject reconsider reduce pay report
draft         D    S      .      W        .     .          .     .      .          .      .   .
submitted     .    .      U      W        .     .          .     .      .          .      .   .
under_review  .    .      U      W        A     P          F     R      .          .      .   .
awarded       .    .      .      .        .     .          .     .      .          P      $   .
part_awarded  .    .      .      .        .     .          .     .      .          P      $   .
deferred      .    .      .      W        .     .          .     .      U          .      .   .
rejected      .    .      .      .        .     .          .     .      .          .      .   .
paid          .    .      .      .        .     .          .     .      .          .      .   T
reported      .    .      .      .        .     .          .     .      .          .      .   .
withdrawn     .    .      .      .        .     .          .     .      .          .      .   .
"""


def _parse() -> tuple[list[str], dict[tuple[str, str], str | None]]:
    header, *rows = [line.split() for line in TABLE.strip().splitlines()]
    table = {}
    for state, *cells in rows:
        for action, cell in zip(header, cells, strict=True):
            table[(state, action)] = None if cell == "." else CODES[cell]
    return header, table


ACTIONS, EXPECTED = _parse()
PAIRS = [(state, action) for state in ApplicationStatus for action in ApplicationAction]


def test_the_table_names_every_state_and_action():
    assert {state for state, _ in EXPECTED} == {s.value for s in ApplicationStatus}
    assert set(ACTIONS) == {a.value for a in ApplicationAction}


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
def test_each_state_and_action(state, action):
    expected = EXPECTED[(state.value, action.value)]
    assert allows(state, action) is (expected is not None)
    if expected is None:
        with pytest.raises(InvalidTransition) as refused:
            next_status(state, action)
        assert refused.value.status == 409
        assert action.value.replace("_", " ") in refused.value.message
    else:
        assert next_status(state, action) == ApplicationStatus(expected)


@pytest.mark.parametrize(
    ("amount", "threshold", "second", "starts"),
    [
        (49_999, 50_000, False, PaymentStatus.PAID),
        (50_000, 50_000, False, PaymentStatus.PAID),
        (50_001, 50_000, True, PaymentStatus.AWAITING_APPROVAL),
        (1, 0, True, PaymentStatus.AWAITING_APPROVAL),
    ],
)
def test_second_approval_is_needed_strictly_above_the_threshold(amount, threshold, second, starts):
    assert needs_second_approval(amount, threshold) is second
    assert payment_status_after_recording(amount, threshold) == starts
