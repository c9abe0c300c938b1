"""An examiner's appointment: invited by the chair, accepted by the examiner, then ended or lapsed."""

from __future__ import annotations

from enum import StrEnum

from pledgebank.state_tables import Transitions


class AppointmentStatus(StrEnum):
    """Where an appointment is: only an accepted one gives access to the books."""

    INVITED = "invited"
    ACTIVE = "active"
    ENDED = "ended"
    LAPSED = "lapsed"


class AppointmentAction(StrEnum):
    """What can happen to an appointment."""

    ACCEPT = "accept"
    END = "end"
    LAPSE = "lapse"


S, A = AppointmentStatus, AppointmentAction

APPOINTMENTS: Transitions[AppointmentStatus, AppointmentAction] = Transitions(
    {
        (S.INVITED, A.ACCEPT): S.ACTIVE,
        (S.INVITED, A.END): S.ENDED,
        (S.INVITED, A.LAPSE): S.LAPSED,
        (S.ACTIVE, A.END): S.ENDED,
        (S.ACTIVE, A.LAPSE): S.LAPSED,
    },
    thing="an examiner's appointment",
)
