"""API: the calling user, and everything held about them.

Closing an account stays on the web (/account/close): it asks for the person's password, which an API
token does not prove.
"""

from __future__ import annotations

from flask import Response, stream_with_context
from flask_smorest import Blueprint

from pledgebank.accounts.models import User
from pledgebank.accounts.privacy_export import json_chunks
from pledgebank.accounts.web.privacy_views import no_store, read_then_release
from pledgebank.accounts.web.schemas import PersonalDataSchema, UserSchema
from pledgebank.api.auth import api_user_id
from pledgebank.errors import NotAuthenticated
from pledgebank.web.session import db_session, now

blp = Blueprint("me", __name__, url_prefix="/api/v1", description="The calling user")


@blp.get("/me")
@blp.response(200, UserSchema)
@blp.doc(security=[{"bearerAuth": []}])
def me():
    """Who the token (or session) belongs to."""
    user = db_session().get(User, api_user_id())
    if user is None:
        raise NotAuthenticated()
    return user


@blp.get("/me/data")
@blp.response(200, PersonalDataSchema)
@blp.doc(security=[{"bearerAuth": []}])
def my_data():
    """Everything held about you (right of access), streamed: the document /account/data.json downloads.

    Any token can read it, read-only ones included. Closing your account is not offered here: it is done
    on the web, at /account/close, because it asks for your password.
    """
    user_id = api_user_id()
    session = db_session()
    chunks = json_chunks(session, user_id=user_id, now=now())
    return no_store(
        Response(stream_with_context(read_then_release(session, chunks)), mimetype="application/json")
    )
