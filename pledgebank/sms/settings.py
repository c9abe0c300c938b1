"""A neighbourhood's text number (set by its chair) and a pledge's keyword (set by its creator or the
committee)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.errors import Forbidden, InvalidInput
from pledgebank.pledges.models import Pledge
from pledgebank.policy import Action, can, require
from pledgebank.sms import phones
from pledgebank.sms.inbound import RESERVED
from pledgebank.sms.models import SmsKeyword, SmsNumber
from pledgebank.text import _t

KEYWORD = re.compile(r"^[A-Z0-9]{2,20}$")


def number_of(session: Session, neighbourhood_id: int) -> SmsNumber | None:
    """The neighbourhood's text number, if it has one."""
    return session.scalar(select(SmsNumber).where(SmsNumber.neighbourhood_id == neighbourhood_id))


def keyword_of(session: Session, pledge_id: int) -> SmsKeyword | None:
    """The pledge's keyword, if it has one."""
    return session.scalar(select(SmsKeyword).where(SmsKeyword.pledge_id == pledge_id))


def set_number(
    session: Session, *, actor_id: int, neighbourhood_id: int, number: str, now: datetime
) -> SmsNumber:
    """Give the neighbourhood its text number (or change it); no two neighbourhoods share one."""
    require(session, actor_id, neighbourhood_id, Action.EDIT_NEIGHBOURHOOD)
    value = phones.e164(number, field="number")
    taken = session.scalar(select(SmsNumber.neighbourhood_id).where(SmsNumber.number == value))
    if taken is not None and taken != neighbourhood_id:
        raise InvalidInput.field("number", _t("Another neighbourhood uses that number."))
    row = number_of(session, neighbourhood_id)
    before = {"number": row.number} if row is not None else None
    if row is None:
        row = SmsNumber(neighbourhood_id=neighbourhood_id, number=value, updated_at=now)
        session.add(row)
    row.number, row.updated_at = value, now
    _flush_or(session, "number", _t("Another neighbourhood uses that number."))
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood_id,
        action="sms.number_set",
        subject=("neighbourhood", neighbourhood_id),
        now=now,
        before=before,
        after={"number": value},
    )
    return row


def may_set_keyword(session: Session, actor_id: int | None, pledge: Pledge) -> bool:
    """The pledge's creator and the committee may give it a keyword."""
    if actor_id is None:
        return False
    return actor_id == pledge.creator_id or can(
        session, actor_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES
    )


def set_keyword(
    session: Session, *, actor_id: int, pledge: Pledge, keyword: str, now: datetime
) -> SmsKeyword:
    """Give the pledge its keyword: letters and digits, unique among the neighbourhood's pledges."""
    if not may_set_keyword(session, actor_id, pledge):
        raise Forbidden()
    word = "".join((keyword or "").split()).upper()
    if not KEYWORD.match(word):
        raise InvalidInput.field("keyword", _t("Use 2 to 20 letters and digits, like FENCE."))
    if word in RESERVED:
        raise InvalidInput.field("keyword", _t("That word is kept for texting instructions; choose another."))
    clash = session.scalar(
        select(SmsKeyword.pledge_id).where(
            SmsKeyword.neighbourhood_id == pledge.neighbourhood_id, SmsKeyword.keyword == word
        )
    )
    if clash is not None and clash != pledge.id:
        raise InvalidInput.field("keyword", _t("Another pledge here has that keyword; choose another."))
    row = keyword_of(session, pledge.id)
    before = {"keyword": row.keyword} if row is not None else None
    if row is None:
        row = SmsKeyword(
            pledge_id=pledge.id,
            neighbourhood_id=pledge.neighbourhood_id,
            set_by_id=actor_id,
            keyword=word,
            updated_at=now,
        )
        session.add(row)
    row.keyword, row.set_by_id, row.updated_at = word, actor_id, now
    _flush_or(session, "keyword", _t("Another pledge here has that keyword; choose another."))
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="sms.keyword_set",
        subject=("pledge", pledge.id),
        now=now,
        before=before,
        after={"keyword": word},
    )
    return row


def _flush_or(session: Session, field: str, message: str) -> None:
    try:
        with session.begin_nested():
            session.flush()  # two people setting the same keyword at once: the second is told, by name
    except IntegrityError:
        raise InvalidInput.field(field, message) from None
