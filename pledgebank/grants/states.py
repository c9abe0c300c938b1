"""The application and payment state machines as pure tables: (state, action) -> next state or refusal."""

from __future__ import annotations

from enum import StrEnum

from pledgebank.state_tables import (
    InvalidTransition as InvalidTransition,  # raised by next_*, caught from here
)
from pledgebank.state_tables import Transitions
from pledgebank.text import _t


class ApplicationStatus(StrEnum):
    """An application's life: drafted, submitted, reviewed, decided, paid and reported on (or withdrawn)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    AWARDED = "awarded"
    PART_AWARDED = "part_awarded"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    PAID = "paid"
    REPORTED = "reported"
    WITHDRAWN = "withdrawn"


class ApplicationAction(StrEnum):
    """What can happen to an application."""

    EDIT = "edit"
    SUBMIT = "submit"
    REVIEW = "review"  # a committee member declares an interest or scores
    WITHDRAW = "withdraw"
    AWARD = "award"
    AWARD_PART = "award_part"
    DEFER = "defer"
    REJECT = "reject"
    RECONSIDER = "reconsider"
    REDUCE = "reduce"
    PAY = "pay"
    REPORT = "report"


class PaymentStatus(StrEnum):
    """A grant payment: recorded by the treasurer, then (above the threshold) approved, then paid."""

    AWAITING_APPROVAL = "awaiting_approval"
    PAID = "paid"


S, A = ApplicationStatus, ApplicationAction

TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationAction], ApplicationStatus] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.REVIEW): S.UNDER_REVIEW,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.UNDER_REVIEW, A.REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.UNDER_REVIEW, A.AWARD): S.AWARDED,
    (S.UNDER_REVIEW, A.AWARD_PART): S.PART_AWARDED,
    (S.UNDER_REVIEW, A.DEFER): S.DEFERRED,
    (S.UNDER_REVIEW, A.REJECT): S.REJECTED,
    (S.DEFERRED, A.RECONSIDER): S.UNDER_REVIEW,
    (S.DEFERRED, A.WITHDRAW): S.WITHDRAWN,
    (S.AWARDED, A.REDUCE): S.PART_AWARDED,
    (S.PART_AWARDED, A.REDUCE): S.PART_AWARDED,
    (S.AWARDED, A.PAY): S.PAID,
    (S.PART_AWARDED, A.PAY): S.PAID,
    (S.PAID, A.REPORT): S.REPORTED,
}

# Applications holding an award (the public list of grants, and the round's spent budget).
WITH_AWARD = frozenset({S.AWARDED, S.PART_AWARDED, S.PAID, S.REPORTED})
# Awarded and not yet paid: the money is committed (grants payable) but still in the bank.
COMMITTED = frozenset({S.AWARDED, S.PART_AWARDED})
# A final decision is made: from here everyone on the committee may see every score.
DECIDED = frozenset({S.AWARDED, S.PART_AWARDED, S.REJECTED, S.PAID, S.REPORTED})
# The committee is (or may soon be) looking at it.
IN_REVIEW = frozenset({S.SUBMITTED, S.UNDER_REVIEW})

LABELS: dict[ApplicationStatus, str] = {
    S.DRAFT: _t("Draft"),
    S.SUBMITTED: _t("Submitted"),
    S.UNDER_REVIEW: _t("Under review"),
    S.AWARDED: _t("Awarded"),
    S.PART_AWARDED: _t("Awarded in part"),
    S.DEFERRED: _t("Deferred"),
    S.REJECTED: _t("Not funded"),
    S.PAID: _t("Paid"),
    S.REPORTED: _t("Reported"),
    S.WITHDRAWN: _t("Withdrawn"),
}


APPLICATIONS = Transitions(TRANSITIONS, thing="an application", describe=lambda state: LABELS[state].lower())
next_status = APPLICATIONS.next
allows = APPLICATIONS.allows


def needs_second_approval(amount: int, threshold: int) -> bool:
    """Payments strictly above the threshold (minor units) wait for a second committee member."""
    return amount > threshold


def payment_status_after_recording(amount: int, threshold: int) -> PaymentStatus:
    """Where a newly recorded payment starts: paid at once, or waiting for its second approver."""
    return PaymentStatus.AWAITING_APPROVAL if needs_second_approval(amount, threshold) else PaymentStatus.PAID
