"""Who is calling the API: a personal token (Bearer), or the browser session for reads."""

from __future__ import annotations

from typing import Literal, overload

from flask import request
from flask_login import current_user

from pledgebank.accounts.api_tokens import authenticate_api_token
from pledgebank.accounts.models import TokenScope
from pledgebank.errors import Forbidden, NotAuthenticated
from pledgebank.web.observability import note_actor
from pledgebank.web.session import now, transaction


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
        with transaction() as session:
            found = authenticate_api_token(session, secret=secret.strip(), now=now())
            user_id = found[0].id if found else None
            scope = found[1].scope if found else None
        if user_id is None:
            raise NotAuthenticated("That API token is not valid or has been revoked.")
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
