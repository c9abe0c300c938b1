"""The one authorisation policy: which roles may take which action in a neighbourhood.

Views, the API and services all ask here; nothing else decides who may do what.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pledgebank.accounts.models import User
from pledgebank.errors import EmailNotVerified, Forbidden, NotAuthenticated
from pledgebank.examiners.models import ExaminerAppointment
from pledgebank.examiners.states import AppointmentStatus
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Role


class Action(StrEnum):
    """Everything a person can ask to do in a neighbourhood."""

    VIEW_NEIGHBOURHOOD = "view_neighbourhood"
    JOIN = "join"
    VIEW_MEMBERS = "view_members"
    LEAVE = "leave"
    EDIT_NEIGHBOURHOOD = "edit_neighbourhood"
    MANAGE_ROLES = "manage_roles"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_FUNDS = "manage_funds"
    VIEW_LEDGER = "view_ledger"
    EXPORT_LEDGER = "export_ledger"
    RECORD_PAYMENT = "record_payment"
    CREATE_PLEDGE = "create_pledge"
    PLEDGE = "pledge"
    COMMENT = "comment"
    MANAGE_PLEDGES = "manage_pledges"
    JOIN_LEVY = "join_levy"
    MANAGE_LEVIES = "manage_levies"
    APPLY_FOR_GRANT = "apply_for_grant"
    MANAGE_GRANT_ROUNDS = "manage_grant_rounds"
    VIEW_GRANT_APPLICATIONS = "view_grant_applications"
    REVIEW_GRANTS = "review_grants"
    DECIDE_GRANTS = "decide_grants"
    APPROVE_GRANT_PAYMENT = "approve_grant_payment"
    CREATE_ENDOWMENT_FUND = "create_endowment_fund"
    CLOSE_YEAR = "close_year"
    RECORD_MONEY = "record_money"
    APPROVE_PAYMENT = "approve_payment"
    MANAGE_EXPENSE_CATEGORIES = "manage_expense_categories"
    TRANSFER_FUNDS = "transfer_funds"
    APPOINT_EXAMINER = "appoint_examiner"
    EXAMINE_BOOKS = "examine_books"
    MANAGE_DIVIDENDS = "manage_dividends"
    SIGN_DIVIDEND = "sign_dividend"
    RECONCILE_BANK = "reconcile_bank"
    VIEW_BANK = "view_bank"
    MANAGE_PULSE = "manage_pulse"
    ANSWER_PULSE = "answer_pulse"


EVERYONE = "everyone"
NON_MEMBER = "non_member"
_OFFICERS = frozenset({Role.COMMITTEE, Role.TREASURER, Role.CHAIR})
# Reading the books, the statements and the audit log: the officers, and an examiner while appointed.
_READERS = _OFFICERS | {Role.EXAMINER}

# Action -> who may take it. EVERYONE includes signed-out visitors; NON_MEMBER is a signed-in, verified
# user who is not yet a member; roles are the member's roles (every member is a resident).
RULES: dict[Action, frozenset[str]] = {
    Action.VIEW_NEIGHBOURHOOD: frozenset({EVERYONE}),
    Action.JOIN: frozenset({NON_MEMBER}),
    Action.VIEW_MEMBERS: frozenset({Role.RESIDENT}),
    Action.LEAVE: frozenset({Role.RESIDENT}),
    Action.EDIT_NEIGHBOURHOOD: frozenset({Role.CHAIR}),
    Action.MANAGE_ROLES: frozenset({Role.CHAIR}),
    Action.VIEW_AUDIT_LOG: _READERS,
    Action.MANAGE_FUNDS: frozenset({Role.COMMITTEE, Role.CHAIR}),
    Action.VIEW_LEDGER: _READERS,
    Action.EXPORT_LEDGER: frozenset({Role.TREASURER, Role.CHAIR}),
    Action.RECORD_PAYMENT: frozenset({Role.TREASURER}),
    Action.CREATE_PLEDGE: frozenset({Role.RESIDENT}),
    Action.PLEDGE: frozenset({Role.RESIDENT}),
    # Comments and questions on a pledge, and replies to them.
    Action.COMMENT: frozenset({Role.RESIDENT}),
    Action.MANAGE_PLEDGES: frozenset({Role.COMMITTEE, Role.CHAIR}),
    Action.JOIN_LEVY: frozenset({Role.RESIDENT}),
    Action.MANAGE_LEVIES: frozenset({Role.COMMITTEE, Role.CHAIR}),
    Action.APPLY_FOR_GRANT: frozenset({Role.RESIDENT}),
    Action.MANAGE_GRANT_ROUNDS: frozenset({Role.COMMITTEE, Role.CHAIR}),
    Action.VIEW_GRANT_APPLICATIONS: _OFFICERS,
    Action.REVIEW_GRANTS: frozenset({Role.COMMITTEE, Role.CHAIR}),
    # The chair, or a member the chair names for one application (checked by the grants decisions).
    Action.DECIDE_GRANTS: frozenset({Role.CHAIR}),
    Action.APPROVE_GRANT_PAYMENT: frozenset({Role.COMMITTEE, Role.CHAIR}),
    # Capital kept for good binds the group for ever: the chair decides, not any committee member.
    Action.CREATE_ENDOWMENT_FUND: frozenset({Role.CHAIR}),
    Action.CLOSE_YEAR: frozenset({Role.TREASURER, Role.CHAIR}),
    # Everyday entries: donations, banking cash, paying suppliers, bank charges and interest, corrections.
    Action.RECORD_MONEY: frozenset({Role.TREASURER, Role.CHAIR}),
    # The second committee member on a payment above the threshold (never the one who recorded it).
    Action.APPROVE_PAYMENT: frozenset({Role.COMMITTEE, Role.CHAIR}),
    # The list supplier payments are filed under: add, rename, retire.
    Action.MANAGE_EXPENSE_CATEGORIES: frozenset({Role.TREASURER, Role.CHAIR}),
    # Proposing, approving or declining a transfer between funds; a transfer posts only when the chair and a
    # second committee member have both agreed to it (checked by the transfer service).
    Action.TRANSFER_FUNDS: frozenset({Role.COMMITTEE, Role.CHAIR}),
    # Inviting an independent examiner for a financial year, and ending the appointment.
    Action.APPOINT_EXAMINER: frozenset({Role.CHAIR}),
    # The examiner's checklist (CC32): the examiner works through it; the officers see what they will find.
    Action.EXAMINE_BOOKS: _READERS,
    # Community dividends: the committee drafts agreements, submits the evidence and answers disputes; the
    # chair signs for the neighbourhood (the body signs and verifies through its emailed links, with no role).
    Action.MANAGE_DIVIDENDS: frozenset({Role.COMMITTEE, Role.CHAIR}),
    Action.SIGN_DIVIDEND: frozenset({Role.CHAIR}),
    # Bank statements: uploading them, matching their lines to the books, posting the bank's own charges and
    # interest, reconciling at a date; and the Stripe reconciliation report.
    Action.RECONCILE_BANK: frozenset({Role.TREASURER, Role.CHAIR}),
    # Reading them: the statements, their lines, the reconciliations and the Stripe report. The committee are
    # trustees answerable for the accounts, and the examiner checks the bank against the books.
    Action.VIEW_BANK: _READERS,
    # The neighbourhood pulse: the committee opens survey rounds and reads the free-text answers (never with
    # a name); every resident answers once a round. The results are public, with small numbers withheld.
    Action.MANAGE_PULSE: frozenset({Role.COMMITTEE, Role.CHAIR}),
    Action.ANSWER_PULSE: frozenset({Role.RESIDENT}),
}

# Fund type -> the action that creating such a fund needs. The general fund (unrestricted) comes with the
# neighbourhood; the committee sets money aside (designated) and records money given for a purpose
# (restricted).
FUND_CREATION: dict[str, Action] = {
    "designated": Action.MANAGE_FUNDS,
    "restricted": Action.MANAGE_FUNDS,
    "endowment": Action.CREATE_ENDOWMENT_FUND,
}


def allows(action: Action, *, roles: frozenset[Role] | None, signed_in: bool, verified: bool) -> bool:
    """Pure decision: may someone with these roles (None for a non-member) take the action?"""
    allowed = RULES[action]
    if EVERYONE in allowed:
        return True
    if roles is None:
        return NON_MEMBER in allowed and signed_in and verified
    return bool(allowed & roles)


def roles_of(session: Session, user_id: int | None, neighbourhood_id: int) -> frozenset[Role] | None:
    """The user's roles in the neighbourhood, or None when they are neither a member nor its examiner.

    An accepted examiner's appointment that has not ended or lapsed adds the examiner role.
    """
    if user_id is None:
        return None
    membership = session.scalar(
        select(Membership)
        .options(selectinload(Membership.role_rows))
        .where(Membership.user_id == user_id, Membership.neighbourhood_id == neighbourhood_id)
    )
    examining = session.scalar(
        select(ExaminerAppointment.id)
        .where(
            ExaminerAppointment.user_id == user_id,
            ExaminerAppointment.neighbourhood_id == neighbourhood_id,
            ExaminerAppointment.status == AppointmentStatus.ACTIVE,
        )
        .limit(1)
    )
    roles = None if membership is None else membership.roles
    if examining is None:
        return roles
    return frozenset({*(roles or ()), Role.EXAMINER})


def can(session: Session, user_id: int | None, neighbourhood_id: int, action: Action) -> bool:
    """May this user (None when signed out) take the action in this neighbourhood?"""
    return permissions(session, user_id, neighbourhood_id, (action,))[action]


def permissions(
    session: Session, user_id: int | None, neighbourhood_id: int, actions: Iterable[Action] = tuple(Action)
) -> dict[Action, bool]:
    """May this user take each action in this neighbourhood? The user and their roles are read once."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is not None and not user.is_active:
        user = None
    roles = roles_of(session, user.id, neighbourhood_id) if user else None
    signed_in, verified = user is not None, bool(user and user.is_verified)
    return {action: allows(action, roles=roles, signed_in=signed_in, verified=verified) for action in actions}


def is_officer_anywhere(session: Session, user_id: int | None) -> bool:
    """Whether the user is on the committee, the treasurer or the chair of any neighbourhood."""
    if user_id is None:
        return False
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return False
    found = session.scalar(
        select(MembershipRole.role)
        .join(Membership, Membership.id == MembershipRole.membership_id)
        .where(Membership.user_id == user_id, MembershipRole.role.in_([r.value for r in _OFFICERS]))
        .limit(1)
    )
    return found is not None


def require(session: Session, user_id: int | None, neighbourhood_id: int, action: Action) -> None:
    """Raise NotAuthenticated, EmailNotVerified or Forbidden unless the user may take the action."""
    if can(session, user_id, neighbourhood_id, action):
        return
    if user_id is None:
        raise NotAuthenticated()
    user = session.get(User, user_id)
    if action == Action.JOIN and user is not None and not user.is_verified:
        raise EmailNotVerified()
    raise Forbidden()
