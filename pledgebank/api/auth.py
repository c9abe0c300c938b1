"""Who is calling the API: a personal token (Bearer), or the browser session for reads."""

from __future__ import annotations

from typing import Literal, overload

from flask import g, request
from flask_login import current_user

from pledgebank.accounts.api_tokens import authenticate_api_token
from pledgebank.accounts.models import TokenScope
from pledgebank.errors import Forbidden, NotAuthenticated
from pledgebank.web.observability import note_actor
from pledgebank.web.session import db_session, now


@overload
def api_user_id(*, write: bool = False, required: Literal[True] = True) -> int: ...


@overload
def api_user_id(*, write: bool = False, required: bool) -> int | None: ...


def api_user_id(*, write: bool = False, required: bool = True) -> int | None:
    """The calling user's id; raise NotAuthenticated or Forbidden as the call requires.

    Writes need a read-write token: a browser session cookie alone could be ridden by another site.
    """
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise NotAuthenticated("Send the token as 'Authorization: Bearer <token>'.")
        # In the call's own transaction: the account read here is the one the call's work uses, and the
        # call commits once. Only recording the token's use (at most every few minutes) commits here.
        session = db_session()
        found = authenticate_api_token(session, secret=secret.strip(), now=now())
        if found is None:
            raise NotAuthenticated("That API token is not valid or has been revoked.")
        if session.dirty:
            session.commit()
        user, token = found
        g.api_user = user  # held for the request, so the session's later reads of the account find it
        user_id, scope = user.id, token.scope
        note_actor(user_id)
        if write and scope != TokenScope.READ_WRITE:
            raise Forbidden("This token is read-only; create a read-write token for changes.")
        return user_id
    if current_user.is_authenticated and not write:
        return current_user.id
    if write and current_user.is_authenticated:
        raise Forbidden("Changes through the API need a read-write API token.")
    if required:
        raise NotAuthenticated("Sign in or send an API token.")
    return None
