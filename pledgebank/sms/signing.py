"""Pledging by text: the confirmation code for a new number, then the pledge itself, with the reply saying
how to pay; and the text to a pledge's text signers when its target is reached."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.errors import Conflict, DomainError
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.services import get_pledge
from pledgebank.pledges.signups import active_count, sign
from pledgebank.pledges.states import ACTIVE, PledgeStatus
from pledgebank.sms import codes, texts
from pledgebank.sms.models import SmsNotice, SmsNumber, SmsPhone
from pledgebank.sms.outgoing import reply, text_phone
from pledgebank.sms.people import pledger_for
from pledgebank.sms.texts import Text

THRESHOLD = "threshold"
REACHED = (PledgeStatus.COLLECTING, PledgeStatus.SUCCEEDED)


def pledge_link(base_url: str, pledge: Pledge) -> str:
    """The pledge's short link."""
    return f"{base_url.rstrip('/')}/p/{pledge.short_code or pledge.id}"


def ask_to_confirm(
    session: Session, phone: SmsPhone, number: SmsNumber, pledge: Pledge, *, now: datetime, amount: int | None
) -> str:
    """A number we have not verified: text it a code; its reply confirms the number and makes the pledge."""
    code = codes.issue(phone, now=now, pledge_id=pledge.id, amount=amount)
    reply(session, phone, number, Text(texts.CONFIRM_CODE, {"code": code, "title": pledge.title}))
    return "code-sent"


def pledge_by_text(
    session: Session,
    phone: SmsPhone,
    number: SmsNumber,
    pledge: Pledge,
    *,
    now: datetime,
    base_url: str,
    amount: int | None = None,
) -> str:
    """Sign the verified phone's person up to the pledge and tell them how to pay; a refusal is texted back,
    nothing of the attempt kept. What happened, in a word."""
    link = pledge_link(base_url, pledge)
    pay_link = f"{base_url.rstrip('/')}/account/phone"
    try:
        with session.begin_nested():
            user_id = pledger_for(session, phone, pledge.neighbourhood_id, now=now)
            if _has_pledged(session, pledge.id, user_id):
                reply(
                    session, phone, number, Text(texts.ALREADY_SIGNED, {"title": pledge.title, "link": link})
                )
                return "already"
            method = "time" if pledge.of_time else ("cash" if pledge.allow_cash else "card")
            signup = sign(
                session,
                actor_id=user_id,
                pledge=pledge,
                amount=None if pledge.of_time else (amount or pledge.amount),
                method=method,
                card_payments=True,
                now=now,
            )
    except IntegrityError:
        # The same pledge from this phone, made by another text at the same moment.
        reply(session, phone, number, Text(texts.ALREADY_SIGNED, {"title": pledge.title, "link": link}))
        return "already"
    except Conflict:
        reply(session, phone, number, Text(texts.NOT_OPEN, {"title": pledge.title, "link": link}))
        return "refused"
    except DomainError as error:
        reply(session, phone, number, Text(texts.ERROR, {"reason": error.message}))
        return "refused"
    pledge = get_pledge(session, pledge.id)
    count = active_count(session, pledge)
    values: dict[str, str | int] = {"title": pledge.title, "count": count, "link": pay_link}
    if pledge.of_time:
        message = texts.SIGNED_UP_TIME
    else:
        values["amount"] = money_words.short(signup.amount, pledge.currency)
        message = texts.SIGNED_UP_CASH if method == "cash" else texts.SIGNED_UP_CARD
    reply(session, phone, number, Text(message, values))
    tell_if_reached(session, pledge, now=now, base_url=base_url)
    return "signed"


def _has_pledged(session: Session, pledge_id: int, user_id: int) -> bool:
    status = session.scalar(
        select(PledgeSignup.status).where(
            PledgeSignup.pledge_id == pledge_id, PledgeSignup.user_id == user_id
        )
    )
    return status is not None and status in ACTIVE


def tell_if_reached(session: Session, pledge: Pledge, *, now: datetime, base_url: str) -> int:
    """Text every text signer of a pledge that has reached its target, once per pledge; how many texted."""
    if pledge.status not in REACHED or pledge.activated_at is None:
        return 0
    if session.scalar(
        select(SmsNotice.id).where(SmsNotice.pledge_id == pledge.id, SmsNotice.kind == THRESHOLD)
    ):
        return 0
    try:
        with session.begin_nested():
            session.add(SmsNotice(pledge_id=pledge.id, kind=THRESHOLD, sent_at=now))
    except IntegrityError:
        return 0  # told by another process at the same moment
    sender = session.scalar(
        select(SmsNumber.number).where(SmsNumber.neighbourhood_id == pledge.neighbourhood_id)
    )
    if sender is None:
        return 0
    phones = session.scalars(
        select(SmsPhone)
        .join(PledgeSignup, PledgeSignup.user_id == SmsPhone.user_id)
        .where(
            PledgeSignup.pledge_id == pledge.id,
            PledgeSignup.status.in_([s.value for s in ACTIVE]),
            SmsPhone.verified_at.is_not(None),
        )
        .order_by(SmsPhone.id)
    )
    text = Text(texts.THRESHOLD_REACHED, {"title": pledge.title, "link": pledge_link(base_url, pledge)})
    place = pledge.neighbourhood_id
    return sum(text_phone(session, phone, sender, text, neighbourhood_id=place) for phone in phones)
