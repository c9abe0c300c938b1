"""The levy and charge state machines as pure tables, the approval quorum, and the retry schedule."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pledgebank.state_tables import (
    InvalidTransition as InvalidTransition,  # raised by next_*, caught from here
)
from pledgebank.state_tables import Transitions


class LevyStatus(StrEnum):
    """A levy's life: defined, approved (waiting for enough households), charging, then ended."""

    DRAFT = "draft"
    OPEN = "open"
    ACTIVE = "active"
    ENDED = "ended"


class LevyAction(StrEnum):
    """What can happen to a levy."""

    APPROVE = "approve"
    START = "start"
    END = "end"


class ChargeStatus(StrEnum):
    """Where one household's charge for one period stands."""

    DUE = "due"  # raised; collection has not failed yet
    RETRYING = "retrying"  # the card was declined or needs the bank's check; tried again on a schedule
    ARREARS = "arrears"  # the last retry failed (or the last reminder passed) and it is still unpaid
    PAID = "paid"  # settled by card, cash or bank transfer
    WAIVED = "waived"  # written off in full on a hardship decision


class ChargeAction(StrEnum):
    """What can happen to a charge."""

    PAY = "pay"
    DECLINE = "decline"
    GIVE_UP = "give_up"
    WAIVE = "waive"


L, LA = LevyStatus, LevyAction
C, CA = ChargeStatus, ChargeAction

LEVY_TRANSITIONS: dict[tuple[LevyStatus, LevyAction], LevyStatus] = {
    (L.DRAFT, LA.APPROVE): L.OPEN,
    (L.OPEN, LA.START): L.ACTIVE,
    (L.OPEN, LA.END): L.ENDED,
    (L.ACTIVE, LA.END): L.ENDED,
}

CHARGE_TRANSITIONS: dict[tuple[ChargeStatus, ChargeAction], ChargeStatus] = {
    (C.DUE, CA.PAY): C.PAID,
    (C.RETRYING, CA.PAY): C.PAID,
    (C.ARREARS, CA.PAY): C.PAID,
    (C.DUE, CA.DECLINE): C.RETRYING,
    (C.RETRYING, CA.DECLINE): C.RETRYING,
    (C.ARREARS, CA.DECLINE): C.ARREARS,
    (C.DUE, CA.GIVE_UP): C.ARREARS,
    (C.RETRYING, CA.GIVE_UP): C.ARREARS,
    (C.DUE, CA.WAIVE): C.WAIVED,
    (C.RETRYING, CA.WAIVE): C.WAIVED,
    (C.ARREARS, CA.WAIVE): C.WAIVED,
}

UNPAID = frozenset({C.DUE, C.RETRYING, C.ARREARS})
SCHEDULED = frozenset({C.DUE, C.RETRYING})  # collected (or reminded) by run-due on the schedule
TAKING_HOUSEHOLDS = frozenset({L.OPEN, L.ACTIVE})


LEVIES = Transitions(LEVY_TRANSITIONS, thing="a levy")
CHARGES = Transitions(CHARGE_TRANSITIONS, thing="a charge")
next_levy_status = LEVIES.next
next_charge_status = CHARGES.next
can_charge = CHARGES.allows


def quorum_met(approvers: Iterable[frozenset[str]]) -> bool:
    """The chair plus one committee member: two different people, one a chair, the other committee or chair.

    Each item is the set of roles one distinct approver holds.
    """
    people = list(approvers)
    for index, roles in enumerate(people):
        if "chair" in roles:
            others = people[:index] + people[index + 1 :]
            if any(other & {"committee", "chair"} for other in others):
                return True
    return False


def parse_retry_days(text: str) -> tuple[int, ...]:
    """A retry schedule as written ("1, 3, 7": days after the charge fell due), strictly increasing."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or len(parts) > 10 or not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError("give between one and ten whole numbers of days, like 1, 3, 7")
    days = tuple(int(part) for part in parts)
    if days[0] < 1 or list(days) != sorted(set(days)) or days[-1] > 90:
        raise ValueError("the days must increase, from 1 up to at most 90")
    return days


def next_attempt_offset(attempt: int, retry_days: tuple[int, ...]) -> int | None:
    """Days after the due date of the attempt following attempt number `attempt` (the first is 1, on the
    due date); None when that was the last one, so the charge falls into arrears."""
    offsets = (0, *retry_days)
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    return offsets[attempt] if attempt < len(offsets) else None
