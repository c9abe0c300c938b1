"""Welsh and English: the languages the service speaks, a person's choice and a neighbourhood's default.

Flask-free: the web layer asks these for a page's language (pledgebank/web/i18n.py), and the outbox asks them
for an email's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.text import _t

ENGLISH, WELSH = "en", "cy"
LANGUAGES = (ENGLISH, WELSH)
# Each language's name in itself, as a language switch shows it.
NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}


def known(value: str | None) -> str | None:
    """The language code value names ('cy', 'CY', 'cy-GB', 'cy_GB' -> 'cy'), or None if it is none of ours."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def checked(value: str | None, field: str = "language") -> str:
    """The language code value names, or an error naming field; empty stays empty (no choice)."""
    if not (value or "").strip():
        return ""
    code = known(value)
    if code is None:
        raise InvalidInput.field(field, _t("Choose English or Cymraeg."))
    return code


def choose_language(session: Session, user_id: int, language: str) -> None:
    """Remember the language a person chose, for their pages and their emails."""
    user = session.get(User, user_id)
    if user is not None:
        user.language = checked(language)


def person_language(session: Session, user_id: int) -> str | None:
    """The language a person chose, or None if they have not chosen."""
    return known(session.scalar(select(User.language).where(User.id == user_id)))


def neighbourhood_language(session: Session, neighbourhood_id: int | None) -> str | None:
    """A neighbourhood's default language, or None if it has none (or there is no neighbourhood)."""
    if neighbourhood_id is None:
        return None
    query = select(Neighbourhood.default_language).where(Neighbourhood.id == neighbourhood_id)
    return known(session.scalar(query))


def language_by_slug(session: Session, slug: str) -> str | None:
    """The default language of the neighbourhood at /n/<slug>, if it has one."""
    query = select(Neighbourhood.default_language).where(Neighbourhood.slug == slug)
    return known(session.scalar(query))


def recipient_language(session: Session, address: str, neighbourhood_id: int | None = None) -> str | None:
    """The language to write to address in: the person's choice, else the neighbourhood's default."""
    # Addresses are stored in lower case, so the unique index answers this.
    chosen = session.scalar(select(User.language).where(User.email == address.strip().lower()))
    if known(chosen):
        return known(chosen)
    if neighbourhood_id is None:
        return None
    # Read once a unit of work: a fan-out queues hundreds of emails about one neighbourhood.
    defaults = session.info.setdefault("neighbourhood_languages", {})
    if neighbourhood_id not in defaults:
        defaults[neighbourhood_id] = neighbourhood_language(session, neighbourhood_id)
    return defaults[neighbourhood_id]
