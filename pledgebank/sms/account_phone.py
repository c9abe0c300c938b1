"""Adding a phone number to a web account: a code texted to it, entered on the account page; a number that
pledged by text then brings its pledges to the account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.errors import Conflict, InvalidInput
from pledgebank.sms import codes, phones, texts
from pledgebank.sms.models import SmsPhone
from pledgebank.sms.outgoing import text_phone
from pledgebank.sms.people import is_phone_only, join_account, phone_for
from pledgebank.sms.texts import Text
from pledgebank.text import _t


def phone_of_user(session: Session, user_id: int) -> SmsPhone | None:
    """The account's verified phone, if any."""
    return session.scalar(
        select(SmsPhone)
        .where(SmsPhone.user_id == user_id, SmsPhone.verified_at.is_not(None))
        .order_by(SmsPhone.id)
    )


def pending_phone(session: Session, user_id: int) -> SmsPhone | None:
    """A phone the account holder has asked to add, waiting for its code."""
    return session.scalar(
        select(SmsPhone).where(SmsPhone.pending_user_id == user_id).order_by(SmsPhone.id.desc())
    )


def start(session: Session, *, user_id: int, number: str, sender: str, now: datetime) -> SmsPhone:
    """Text a code to the number, to be entered on the account page."""
    value = phones.e164(number)
    phone = phone_for(session, value, now=now, lock=True)
    if phone.user_id is not None and phone.user_id != user_id and not is_phone_only(session, phone.user_id):
        raise InvalidInput.field("phone_number", _t("That number belongs to another account."))
    for other in session.scalars(
        select(SmsPhone).where(SmsPhone.pending_user_id == user_id, SmsPhone.id != phone.id)
    ):
        codes.clear(other)
    if phone.opted_out_at is not None:
        raise Conflict(
            _t("That number has asked for no texts from us: text START to it first, then try again.")
        )
    code = codes.issue(phone, now=now, user_id=user_id)
    text_phone(session, phone, sender, Text(texts.WEB_CODE, {"code": code}))
    return phone


def confirm(session: Session, *, user_id: int, code: str, now: datetime) -> int | None:
    """The code texted to the account holder's new number: the number is theirs; how many texted pledges
    moved to the account. None for a wrong code, whose try is counted (the caller commits it and says so)."""
    phone = pending_phone(session, user_id)
    if phone is None:
        raise InvalidInput.field("code", _t("Ask for a code first."))
    if not codes.check(phone, code, now=now):
        return None
    codes.clear(phone)
    return join_account(session, phone, user_id, now=now)


def remove(session: Session, *, user_id: int) -> None:
    """Take the number off the account: it stays on record (its texts), verified no more."""
    for phone in session.scalars(select(SmsPhone).where(SmsPhone.user_id == user_id)):
        phone.user_id, phone.verified_at = None, None
