"""A text received at a neighbourhood's number: recorded once, limited per number, and answered.

PLEDGE FENCE   pledge to the pledge with keyword FENCE (a new number first gets a code to reply with)
123456         the code: confirms the number and makes the pledge it was sent for
STOP (STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT)   no more texts;  START (UNSTOP)   texts again
HELP (INFO)    how it works

Each command has its Welsh word too: ADDO FENCE, STOPIO, DECHRAU, CYMORTH.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.errors import InvalidInput
from pledgebank.inputs import InputError, parse_money
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges.models import Pledge
from pledgebank.sms import codes, phones, texts
from pledgebank.sms.models import SmsInbound, SmsKeyword, SmsNumber, SmsPhone
from pledgebank.sms.outgoing import language_for, reply
from pledgebank.sms.people import phone_for
from pledgebank.sms.provider import Inbound
from pledgebank.sms.signing import ask_to_confirm, pledge_by_text
from pledgebank.sms.texts import Text
from pledgebank.text import _t

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "STOPIO"})
START_WORDS = frozenset({"START", "UNSTOP", "DECHRAU"})
HELP_WORDS = frozenset({"HELP", "INFO", "CYMORTH"})
PLEDGE_WORDS = frozenset({"PLEDGE", "ADDO"})
RESERVED = STOP_WORDS | START_WORDS | HELP_WORDS | PLEDGE_WORDS
CODE = re.compile(r"^\d{6}$")
WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Limits:
    """How many texts one number may send in an hour before it is answered once and then not at all."""

    per_hour: int = 10


def receive(
    session: Session, inbound: Inbound, *, now: datetime, base_url: str, limits: Limits = Limits()
) -> str:
    """Handle one text, once whatever the provider's retries: what happened, in a word."""
    number = session.scalar(select(SmsNumber).where(SmsNumber.number == phones.e164(inbound.to, field="to")))
    if number is None:
        raise InvalidInput.field("to", "That is not one of our text numbers.")
    phone = phone_for(session, phones.e164(inbound.sender, field="sender"), now=now, lock=True)
    if session.scalar(select(SmsInbound.id).where(SmsInbound.provider_message_id == inbound.message_id)):
        return "duplicate"
    try:
        with session.begin_nested():
            session.add(
                SmsInbound(
                    provider_message_id=inbound.message_id,
                    phone_id=phone.id,
                    number_id=number.id,
                    received_at=now,
                )
            )
    except IntegrityError:
        return "duplicate"  # the same delivery, handled by another request at this moment
    phone.last_number_id = number.id
    sent = session.scalar(
        select(func.count()).where(SmsInbound.phone_id == phone.id, SmsInbound.received_at > now - WINDOW)
    )
    if (sent or 0) > limits.per_hour:
        if sent == limits.per_hour + 1:
            reply(session, phone, number, Text(texts.TOO_MANY))
        return "limited"
    return _answer(session, phone, number, inbound.body, now=now, base_url=base_url)


def _answer(
    session: Session, phone: SmsPhone, number: SmsNumber, body: str, *, now: datetime, base_url: str
) -> str:
    words = body.upper().split()
    first = words[0] if words else ""
    if len(words) == 1 and first in STOP_WORDS:
        phone.opted_out_at = now
        reply(session, phone, number, Text(texts.STOPPED), even_if_stopped=True)
        return "stopped"
    if len(words) == 1 and first in START_WORDS:
        phone.opted_out_at = None
        reply(session, phone, number, Text(texts.STARTED))
        return "started"
    if len(words) == 1 and first in HELP_WORDS:
        reply(session, phone, number, Text(texts.HELP, _where(session, number, base_url)))
        return "help"
    if len(words) == 1 and CODE.match(first):
        return _confirm(session, phone, number, first, now=now, base_url=base_url)
    if first in PLEDGE_WORDS and len(words) in (2, 3):
        amount = words[2] if len(words) == 3 else None
        return _pledge(session, phone, number, words[1], now=now, base_url=base_url, amount_text=amount)
    if len(words) == 1 and _keyword(session, number, first) is not None:
        return _pledge(session, phone, number, first, now=now, base_url=base_url)
    reply(session, phone, number, Text(texts.NOT_UNDERSTOOD))
    return "not-understood"


def _where(session: Session, number: SmsNumber, base_url: str) -> dict[str, str | int]:
    place = session.get_one(Neighbourhood, number.neighbourhood_id)
    return {"neighbourhood": place.name, "link": f"{base_url.rstrip('/')}/n/{place.slug}"}


def _keyword(session: Session, number: SmsNumber, word: str) -> SmsKeyword | None:
    return session.scalar(
        select(SmsKeyword).where(
            SmsKeyword.neighbourhood_id == number.neighbourhood_id, SmsKeyword.keyword == word
        )
    )


def _pledge(
    session: Session,
    phone: SmsPhone,
    number: SmsNumber,
    word: str,
    *,
    now: datetime,
    base_url: str,
    amount_text: str | None = None,
) -> str:
    keyword = _keyword(session, number, word)
    if keyword is None:
        values = {"keyword": word[:20], **_where(session, number, base_url)}
        reply(
            session,
            phone,
            number,
            Text(texts.UNKNOWN_CODE, {"keyword": values["keyword"], "link": values["link"]}),
        )
        return "unknown-code"
    pledge = session.get_one(Pledge, keyword.pledge_id)
    try:
        amount = _amount(
            pledge, keyword.keyword, amount_text, locale=partial(_reply_locale, session, phone, number)
        )
    except InputError as refused:
        reply(session, phone, number, Text(texts.ERROR, {"reason": refused.message}))
        return "refused"
    if phone.verified_at is None:
        return ask_to_confirm(session, phone, number, pledge, now=now, amount=amount)
    return pledge_by_text(session, phone, number, pledge, now=now, base_url=base_url, amount=amount)


def _reply_locale(session: Session, phone: SmsPhone, number: SmsNumber) -> str:
    return language_for(session, phone, number.neighbourhood_id) or money_words.DEFAULT_LOCALE


def _amount(pledge: Pledge, keyword: str, text: str | None, *, locale: Callable[[], str]) -> int | None:
    """The amount texted after the keyword, for a pledge with a minimum; the fixed amount may be repeated.
    A refusal names the currency in the words of `locale()`, the language the reply is written in (looked
    up only when an amount was texted)."""
    if text is None:
        return None
    if pledge.of_time:
        raise InputError(_t("A pledge of time asks for no money: text PLEDGE %(keyword)s.", keyword=keyword))
    amount = parse_money(text, pledge.currency, what=_t("the amount"), locale=locale())
    if pledge.amount_kind == "fixed" and amount != pledge.amount:
        each = money_words.short(pledge.amount, pledge.currency)
        raise InputError(
            _t(
                "This pledge is for %(each)s from each person: text PLEDGE %(keyword)s.",
                each=each,
                keyword=keyword,
            )
        )
    return amount


def _confirm(
    session: Session, phone: SmsPhone, number: SmsNumber, code: str, *, now: datetime, base_url: str
) -> str:
    pledge_id, amount = phone.pending_pledge_id, phone.pending_amount
    if pledge_id is None or not codes.check(phone, code, now=now):
        reply(session, phone, number, Text(texts.WRONG_CODE))
        return "wrong-code"
    codes.clear(phone)
    phone.verified_at = phone.verified_at or now
    pledge = session.get_one(Pledge, pledge_id)
    return pledge_by_text(session, phone, number, pledge, now=now, base_url=base_url, amount=amount)
