"""Closing an account: the person's personal data is erased or pseudonymised wherever it is not needed.

What the neighbourhood must keep (its financial records, six years in the UK) keeps ids, dates and amounts
only: the user row stays, as "Former member #<id>", so that the books, the audit log and every record that
points at the person still point at someone. The ledger holds ids only, so its hash chain is untouched.

Nothing is erased while money is still owed or held (an open pledge, a hold being collected, an unpaid
levy charge, a grant not yet paid): the person is told what must happen first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from pledgebank.accounts.models import ApiToken, SignedOutSession, User
from pledgebank.accounts.services import password_matches
from pledgebank.alerts.services import forget_address
from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.grants.models import GrantApplication, GrantBudgetLine
from pledgebank.grants.states import COMMITTED, IN_REVIEW, ApplicationStatus
from pledgebank.levies.models import (
    HardshipRequest,
    Household,
    HouseholdResident,
    Levy,
    LevyCardConsent,
    LevyCharge,
)
from pledgebank.levies.states import UNPAID
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Neighbourhood, Role
from pledgebank.outbox import ERASED_DOMAIN
from pledgebank.payments.customers import forget_customers
from pledgebank.pledges.comments import forget_comments
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.states import PledgeStatus, SignupStatus
from pledgebank.text import _t

UNUSABLE_PASSWORD_HASH = "!erased"  # noqa: S105 - not an Argon2 hash, so no password ever matches it
ERASED_TEXT = "(erased when the applicant closed their account)"
# Signups whose money is promised, held or being collected, and so not yet settled either way.
UNSETTLED = frozenset(
    {
        SignupStatus.CARD_PENDING,
        SignupStatus.CARD_SAVED,
        SignupStatus.CASH_PROMISED,
        SignupStatus.CASH_RECEIVED,
        SignupStatus.HELD,
        SignupStatus.ACTION_NEEDED,
    }
)
# Applications that still await the committee or a payment.
AWAITING = IN_REVIEW | COMMITTED | {ApplicationStatus.DEFERRED}
# Applications that never moved money: their words are not needed once the applicant has gone.
UNFUNDED = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN})


class ErasureBlocked(Conflict):
    """Money is still owed or held: the account cannot be closed yet."""

    code = "erasure_blocked"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("Your account cannot be closed yet. " + " ".join(reasons))
        self.reasons = reasons


def pseudonym(user_id: int) -> str:
    """The name an erased person is shown by."""
    return f"Former member #{user_id}"


def erased_email(user_id: int) -> str:
    """The address an erased person's row keeps (unique, and undeliverable)."""
    return f"former-member-{user_id}@{ERASED_DOMAIN}"


def erasure_blockers(session: Session, user_id: int) -> list[str]:
    """What must happen before the person's account can be closed; empty when nothing stands in the way."""
    reasons: list[str] = []
    signups = session.execute(
        select(Pledge.title, Pledge.status)
        .join(PledgeSignup, PledgeSignup.pledge_id == Pledge.id)
        .where(PledgeSignup.user_id == user_id, PledgeSignup.status.in_([s.value for s in UNSETTLED]))
        .order_by(PledgeSignup.id)
    )
    for title, status in signups:
        if status == PledgeStatus.OPEN.value:
            reasons.append(f"Withdraw your pledge to “{title}”.")
        else:
            reasons.append(f"Your pledge to “{title}” is being collected: wait until collection ends.")
    charges = session.execute(
        select(Levy.name, LevyCharge.period_start)
        .join(LevyCharge, LevyCharge.levy_id == Levy.id)
        .join(HouseholdResident, HouseholdResident.household_id == LevyCharge.household_id)
        .where(HouseholdResident.user_id == user_id, LevyCharge.status.in_([s.value for s in UNPAID]))
        .order_by(LevyCharge.period_start, LevyCharge.id)
    )
    for name, period_start in charges:
        reasons.append(
            f"Your household's “{name}” charge from {period_start:%d %B %Y} is unpaid: pay it, or ask the "
            "committee to waive it."
        )
    applications = session.execute(
        select(GrantApplication.title, GrantApplication.status)
        .where(
            GrantApplication.applicant_id == user_id, GrantApplication.status.in_([s.value for s in AWAITING])
        )
        .order_by(GrantApplication.id)
    )
    for title, application_status in applications:
        if application_status in COMMITTED:
            reasons.append(f"Your grant for “{title}” is awaiting payment: the treasurer must pay it first.")
        else:
            reasons.append(
                f"Withdraw your grant application “{title}”, or wait for the committee's decision."
            )
    for (name,) in session.execute(_sole_chair_of(user_id)):
        reasons.append(f"You are the only chair of {name}: make someone else chair first.")
    return reasons


def _sole_chair_of(user_id: int):
    chairs = (
        select(Membership.neighbourhood_id, func.count().label("chairs"))
        .join(MembershipRole, MembershipRole.membership_id == Membership.id)
        .where(MembershipRole.role == Role.CHAIR.value)
        .group_by(Membership.neighbourhood_id)
        .subquery()
    )
    return (
        select(Neighbourhood.name)
        .join(Membership, Membership.neighbourhood_id == Neighbourhood.id)
        .join(MembershipRole, MembershipRole.membership_id == Membership.id)
        .join(chairs, chairs.c.neighbourhood_id == Neighbourhood.id)
        .where(Membership.user_id == user_id, MembershipRole.role == Role.CHAIR.value, chairs.c.chairs == 1)
        .order_by(Neighbourhood.id)
    )


def close_account(session: Session, *, actor_id: int, user_id: int, password: str, now: datetime) -> None:
    """Close the person's own account after checking their password: erase, end sessions, audit.

    Raises Forbidden for someone else's account, Conflict if it is already closed, InvalidInput on the
    password field for a wrong password, and ErasureBlocked (nothing erased) while money is owed or held.
    """
    if actor_id != user_id:
        raise Forbidden(_t("You can close only your own account."))
    # Two requests at once take turns here; the second finds the account closed.
    user = session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise NotFound(_t("No such account."))
    if user.erased_at is not None:
        raise Conflict(_t("This account is already closed."))
    if not password_matches(user, password):
        raise InvalidInput.field("password", _t("That is not your password."))
    reasons = erasure_blockers(session, user_id)
    if reasons:
        raise ErasureBlocked(reasons)
    pseudonymise_user(session, user_id, now=now)
    record_event(
        session,
        actor_id=user_id,
        neighbourhood_id=None,
        action="account.erased",
        subject=("user", user_id),
        now=now,
    )


def pseudonymise_user(session: Session, user_id: int, *, now: datetime) -> None:
    """Erase the person's personal data, keeping ids, dates and amounts; every session and token ends.

    Their Stripe customers are recorded for deletion; the caller makes the deletions once this commits
    (`pledgebank.payments.customer_deletion`), and run-due makes any left over.

    No checks: callers decide whether erasing is allowed (closing an account; a retention job).
    """
    address = session.scalar(select(User.email).where(User.id == user_id))
    if address:
        forget_address(session, address)  # alerts are personal data with nothing else to keep them
    forget_comments(session, user_id, now=now)
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            email=erased_email(user_id),
            display_name=pseudonym(user_id),
            password_hash=UNUSABLE_PASSWORD_HASH,
            email_verified_at=None,
            last_login_at=None,
            registration_notice_at=None,
            is_active=False,
            session_generation=User.session_generation + 1,
            erased_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    memberships = list(session.scalars(select(Membership.id).where(Membership.user_id == user_id)))
    for statement in (
        delete(ApiToken).where(ApiToken.user_id == user_id),
        delete(SignedOutSession).where(SignedOutSession.user_id == user_id),
        delete(MembershipRole).where(MembershipRole.membership_id.in_(memberships)),
        delete(Membership).where(Membership.user_id == user_id),
        delete(HouseholdResident).where(HouseholdResident.user_id == user_id),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
    _forget_cards(session, user_id)
    # The permissions they gave for a household's card to pay a levy end with the account.
    session.execute(
        update(LevyCardConsent)
        .where(LevyCardConsent.user_id == user_id, LevyCardConsent.ended_at.is_(None))
        .values(ended_at=now, ended_because="account closed")
        .execution_options(synchronize_session=False)
    )
    # Their Stripe customer (email, saved cards) is deleted at Stripe once this commits.
    forget_customers(session, user_id, now=now)
    session.execute(
        update(HardshipRequest)
        .where(HardshipRequest.requested_by_id == user_id)
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    _forget_unfunded_applications(session, user_id)
    session.expire_all()


def _forget_unfunded_applications(session: Session, user_id: int) -> None:
    """Applications that moved no money lose their words; those that did keep them as the grant's record."""
    unfunded = list(
        session.scalars(
            select(GrantApplication.id).where(
                GrantApplication.applicant_id == user_id,
                GrantApplication.status.in_([s.value for s in UNFUNDED]),
            )
        )
    )
    if not unfunded:
        return
    session.execute(
        update(GrantBudgetLine)
        .where(GrantBudgetLine.application_id.in_(unfunded))
        .values(description=ERASED_TEXT)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(GrantApplication)
        .where(GrantApplication.id.in_(unfunded))
        .values(title="Withdrawn application", summary=ERASED_TEXT, group_name=None)
        .execution_options(synchronize_session=False)
    )


def _forget_cards(session: Session, user_id: int) -> None:
    """Card details (brand, last four digits, the saved method) go; payment ids stay for the books."""
    session.execute(
        update(Household)
        .where(Household.setup_by_id == user_id)
        .values(payment_method_id=None, card_brand=None, card_last4=None, card_decline_code=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Household)
        .where(Household.payer_id == user_id)
        .values(payer_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(PledgeSignup)
        .where(PledgeSignup.user_id == user_id)
        .values(payment_method_id=None, card_brand=None, card_last4=None, decline_code=None)
        .execution_options(synchronize_session=False)
    )


def pseudonymise_if_gone(session: Session, user_id: int, now: datetime) -> bool:
    """Pseudonymise a person whose financial records are past keeping, if they have left every neighbourhood.

    The retention job's pseudonymiser. Someone still a member keeps their account (it is held for their
    membership, not for the old records); someone already erased is left as they are, so the daily run
    changes nothing twice.
    """
    user = session.get(User, user_id)
    if user is None or user.erased_at is not None:
        return False
    if session.scalar(select(Membership.id).where(Membership.user_id == user_id).limit(1)) is not None:
        return False
    pseudonymise_user(session, user_id, now=now)
    return True
