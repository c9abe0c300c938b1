"""The default language of a pledge's pages: its neighbourhood's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.languages import known
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges.models import Pledge


def language_of_pledge(session: Session, pledge_id: Any) -> str | None:
    """The default language of the neighbourhood pledge_id belongs to, if it has one."""
    query = (
        select(Neighbourhood.default_language)
        .join(Pledge, Pledge.neighbourhood_id == Neighbourhood.id)
        .where(Pledge.id == pledge_id)
    )
    return known(session.scalar(query))


def language_of_short_code(session: Session, code: Any) -> str | None:
    """The default language of the neighbourhood of the pledge with short code, if it has one."""
    query = (
        select(Neighbourhood.default_language)
        .join(Pledge, Pledge.neighbourhood_id == Neighbourhood.id)
        .where(Pledge.short_code == str(code).lower())
    )
    return known(session.scalar(query))
