"""Helpers for texting tests: a neighbourhood with a text number and a pledge with a keyword, texts sent to
the service as the fake provider's webhook would, and the texts the fake provider wrote."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pledgebank.db import unit_of_work
from pledgebank.pledges.services import get_pledge
from pledgebank.sms import inbound, settings
from pledgebank.sms.provider import FakeSms, Inbound
from tests.factories.pledges import make_pledge, neighbourhood_with
from tests.helpers.app import WHEN

NUMBER = "+447700900001"
PHONE = "+447700900123"
_ids = itertools.count(1)
CODE = re.compile(r"\b(\d{6})\b")


@dataclass(frozen=True, slots=True)
class TextWorld:
    """A neighbourhood with a text number, its chair, residents and a pledge with the keyword FENCE."""

    slug: str
    chair: int
    residents: list[int]
    pledge_id: int


def text_world(app, **pledge_changes) -> TextWorld:
    """The neighbourhood, its number and the pledge FENCE (two pledgers wanted, cash allowed)."""
    sessions = app.extensions["pledgebank.sessions"]
    slug, chair, residents = neighbourhood_with(sessions)
    pledge_id = make_pledge(app, slug, chair, **pledge_changes)
    with unit_of_work(sessions) as session:
        pledge = get_pledge(session, pledge_id)
        settings.set_number(
            session, actor_id=chair, neighbourhood_id=pledge.neighbourhood_id, number=NUMBER, now=WHEN
        )
        settings.set_keyword(session, actor_id=chair, pledge=pledge, keyword="fence", now=WHEN)
    return TextWorld(slug, chair, residents, pledge_id)


def text(app, body: str, *, sender: str = PHONE, to: str = NUMBER, message_id: str | None = None) -> str:
    """Text the service (as the provider's webhook would, already checked); what happened."""
    now = app.extensions["pledgebank.clock"].now()
    message = Inbound(message_id or f"SMtest{next(_ids)}", sender, to, body)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return inbound.receive(
            session,
            message,
            now=now,
            base_url=app.config["BASE_URL"],
            limits=inbound.Limits(per_hour=app.config["SMS_PER_HOUR"]),
        )


def texts_to(app, number: str = PHONE) -> list[str]:
    """The texts the fake provider sent to the number, oldest first."""
    provider: FakeSms = app.extensions["pledgebank.sms"]
    return [sent.body for sent in reversed(provider.sent(10_000)) if sent.to == number]


def code_in(body: str) -> str:
    """The six-digit code a text holds."""
    found = CODE.search(body)
    assert found, body
    return found.group(1)


def pledge_by_text(app, sender: str = PHONE, keyword: str = "FENCE") -> None:
    """Text PLEDGE <keyword> and reply with the code texted back."""
    text(app, f"PLEDGE {keyword}", sender=sender)
    text(app, code_in(texts_to(app, sender)[-1]), sender=sender)
