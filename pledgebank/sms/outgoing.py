"""Texts out: queued as jobs in the caller's transaction, sent by a worker through the provider."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pledgebank.languages import neighbourhood_language, person_language
from pledgebank.sms.models import SmsNumber, SmsPhone
from pledgebank.sms.texts import Text
from pledgebank.tasks.queue import enqueue
from pledgebank.text import from_plain, to_plain

SMS_JOB = "sms"


def text_phone(
    session: Session,
    phone: SmsPhone,
    sender: str,
    text: Text,
    *,
    even_if_stopped: bool = False,
    neighbourhood_id: int | None = None,
) -> bool:
    """Queue a text to the phone from our number `sender`; nothing for a phone that texted STOP (except the
    one text confirming it). Whether a text was queued. A neighbourhood's texts that fail are listed on its
    failed-jobs page."""
    if phone.opted_out_at is not None and not even_if_stopped:
        return False
    job = payload(phone.phone_number, sender, text, language_for(session, phone, neighbourhood_id))
    enqueue(session, SMS_JOB, job, neighbourhood_id=neighbourhood_id)
    return True


def language_for(session: Session, phone: SmsPhone, neighbourhood_id: int | None) -> str | None:
    """The language texts to the phone are written in: its own, its person's, else the neighbourhood's."""
    return (
        phone.language
        or (person_language(session, phone.user_id) if phone.user_id else None)
        or neighbourhood_language(session, neighbourhood_id)
    )


def reply(
    session: Session, phone: SmsPhone, number: SmsNumber, text: Text, *, even_if_stopped: bool = False
) -> bool:
    """Answer a text, from the number it was sent to."""
    return text_phone(
        session,
        phone,
        number.number,
        text,
        even_if_stopped=even_if_stopped,
        neighbourhood_id=number.neighbourhood_id,
    )


def payload(to: str, sender: str, text: Text, language: str | None) -> dict[str, Any]:
    """The job's payload: plain values, rendered in the person's language when sent (a value that is marked
    text itself, such as a refusal's reason, keeps its msgid to be read in that language too)."""
    values = {name: to_plain(v) if isinstance(v, str) else v for name, v in text.values.items()}
    return {"to": to, "sender": sender, "message": text.message, "values": values, "language": language}


def text_of(job: dict[str, Any]) -> Text:
    """The text a job's payload holds."""
    values = job.get("values") or {}
    return Text(
        job["message"],
        {name: from_plain(v) if isinstance(v, str | dict) else v for name, v in values.items()},
    )
