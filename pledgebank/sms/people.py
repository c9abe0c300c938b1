"""The person behind a phone: found or recorded, given a phone-only record to pledge with, and joined to a
web account when its holder verifies the same number there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.accounts.erasure import UNUSABLE_PASSWORD_HASH
from pledgebank.accounts.models import User
from pledgebank.neighbourhoods.models import Membership
from pledgebank.pledges.models import PledgeSignup
from pledgebank.sms.models import SmsPhone

# A reserved top-level domain (RFC 2606): a phone-only person's placeholder address can never receive mail.
PHONE_ONLY_DOMAIN = "phone.invalid"
PHONE_ONLY_NAME = "Neighbour by text"


def phone_for(session: Session, number: str, *, now: datetime, lock: bool = False) -> SmsPhone:
    """The phone's record, made on first contact (two first texts at once make one: the second finds it)."""
    statement = select(SmsPhone).where(SmsPhone.phone_number == number)
    found = session.scalar(statement)
    if found is None:
        try:
            with session.begin_nested():
                session.add(SmsPhone(phone_number=number, created_at=now))
        except IntegrityError:
            pass  # made by a text that arrived at the same moment
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalars(statement).one()


def is_phone_only(session: Session, user_id: int) -> bool:
    """Whether the person is a phone-only record (no web account)."""
    email = session.scalar(select(User.email).where(User.id == user_id))
    return bool(email and email.endswith("@" + PHONE_ONLY_DOMAIN))


def pledger_for(session: Session, phone: SmsPhone, neighbourhood_id: int, *, now: datetime) -> int:
    """The person who pledges from this verified phone, a member of the neighbourhood: its web account, or
    a phone-only record made now."""
    if phone.user_id is None:
        user = User(
            email=f"phone-{phone.id}@{PHONE_ONLY_DOMAIN}",
            display_name=PHONE_ONLY_NAME,
            password_hash=UNUSABLE_PASSWORD_HASH,
            created_at=now,
        )
        session.add(user)
        session.flush()  # the person's id, for the phone and the membership
        phone.user_id = user.id
    member = session.scalar(
        select(Membership.id).where(
            Membership.user_id == phone.user_id, Membership.neighbourhood_id == neighbourhood_id
        )
    )
    if member is None:
        session.add(Membership(neighbourhood_id=neighbourhood_id, user_id=phone.user_id, joined_at=now))
        session.flush()
    return phone.user_id


def join_account(session: Session, phone: SmsPhone, user_id: int, *, now: datetime) -> int:
    """The account holder has verified the phone: it becomes theirs, and a phone-only record's pledges and
    memberships move to the account (those the account already has stay with the phone-only record, which
    is closed). How many pledges moved."""
    previous = phone.user_id
    phone.user_id, phone.verified_at = user_id, phone.verified_at or now
    if previous is None or previous == user_id or not is_phone_only(session, previous):
        return 0
    own_pledges = select(PledgeSignup.pledge_id).where(PledgeSignup.user_id == user_id)
    result = session.execute(
        update(PledgeSignup)
        .where(PledgeSignup.user_id == previous, PledgeSignup.pledge_id.not_in(own_pledges))
        .values(user_id=user_id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    moved = getattr(result, "rowcount", 0)
    own_places = select(Membership.neighbourhood_id).where(Membership.user_id == user_id)
    session.execute(
        update(Membership)
        .where(Membership.user_id == previous, Membership.neighbourhood_id.not_in(own_places))
        .values(user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(User)
        .where(User.id == previous)
        .values(is_active=False)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(moved or 0)
