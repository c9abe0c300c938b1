"""Spreading a pledge: its sentence in PledgeBank's form, share links, and its creator's other pledges.

Flask-free: callers pass the money formatter and the absolute URLs (built from the configured base URL,
never from a request's Host header).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.errors import NotFound
from pledgebank.pledges.codes import is_short_code
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.states import PledgeStatus
from pledgebank.text import _t

Money = Callable[[int], str]


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def sentence(pledge: Pledge, creator: str, money: Money) -> str:
    """'Priya Shah will mend the playground fence with £10 a person, but only if 5 people will too.'

    A pledge of time asks for no money: 'Priya Shah will volunteer two hours at the clean-up, but only if
    20 people will too.'
    """
    action = " ".join(pledge.action.split()).rstrip(".")
    if pledge.of_time:
        promise = f"{creator} will {action}" if action else f"{creator} will give time to “{pledge.title}”"
        return f"{promise}, but only if {_people(pledge.target_pledgers or 0)} will too."
    each = ("at least " if pledge.amount_kind == "minimum" else "") + money(pledge.amount)
    if action:
        promise = f"{creator} will {action} with {each} a person"
    else:
        promise = f"{creator} will put {each} towards “{pledge.title}”"
    if pledge.target_pledgers and pledge.target_amount:
        condition = (
            f"but only if {_people(pledge.target_pledgers)} will too "
            f"and the pledges reach {money(pledge.target_amount)}"
        )
    elif pledge.target_pledgers:
        condition = f"but only if {_people(pledge.target_pledgers)} will too"
    else:
        condition = f"but only if neighbours pledge {money(pledge.target_amount or 0)} in all"
    return f"{promise}, {condition}."


@dataclass(frozen=True, slots=True)
class ShareLink:
    """A plain link that shares the pledge (no third-party script is loaded)."""

    name: str
    href: str


def share_links(*, url: str, title: str, text: str) -> list[ShareLink]:
    """Email and the usual social sites' share addresses for url, with the sentence as the message."""
    message = f"{text} {url}"
    return [
        ShareLink("Email", "mailto:?" + urlencode({"subject": title, "body": message}, quote_via=quote)),
        ShareLink("WhatsApp", "https://wa.me/?" + urlencode({"text": message})),
        ShareLink("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ShareLink("X (Twitter)", "https://twitter.com/intent/tweet?" + urlencode({"text": text, "url": url})),
        ShareLink("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": message})),
        ShareLink("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
    ]


def pledge_by_code(session: Session, code: str) -> Pledge:
    """The pledge a short code links to (codes are read case-insensitively)."""
    pledge = (
        session.scalars(select(Pledge).where(Pledge.short_code == code.lower())).first()
        if is_short_code(code)
        else None
    )
    if pledge is None:
        raise NotFound(_t("There is no pledge at this short link."))
    return pledge


@dataclass(frozen=True, slots=True)
class CreatorProfile:
    """A pledge's creator as the public sees them: a name, the neighbourhood, their other pledges."""

    name: str
    neighbourhood: str
    other_pledges: list[Pledge]


def creator_name(session: Session, pledge: Pledge) -> str:
    """The name the pledge's creator shows."""
    return session.get_one(User, pledge.creator_id).display_name


def creator_profile(session: Session, pledge: Pledge, neighbourhood_name: str) -> CreatorProfile:
    """The creator's name and their other pledges anyone can see (drafts are left out)."""
    others = session.scalars(
        select(Pledge)
        .where(
            Pledge.creator_id == pledge.creator_id,
            Pledge.id != pledge.id,
            Pledge.status != PledgeStatus.DRAFT,
        )
        .order_by(Pledge.deadline.desc())
        .limit(10)
    ).all()
    return CreatorProfile(creator_name(session, pledge), neighbourhood_name, list(others))
