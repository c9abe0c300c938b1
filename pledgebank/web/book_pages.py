"""What every page about a neighbourhood's books starts from, whichever feature's page it is."""

from __future__ import annotations

from typing import Any

from pledgebank.books.services import book_of
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session


def book_context(slug: str, action: Action = Action.VIEW_LEDGER) -> dict[str, Any]:
    """The neighbourhood, its book and what the signed-in person may do there, once they may `action`."""
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, action)
    allowed = allowed_actions(neighbourhood.id)
    return {"neighbourhood": neighbourhood, "book": book_of(session, neighbourhood.id), "allowed": allowed}
