"""API: the calling user."""

from __future__ import annotations

from flask_smorest import Blueprint

from pledgebank.accounts.models import User
from pledgebank.accounts.schemas import UserSchema
from pledgebank.api.auth import api_user_id
from pledgebank.errors import NotAuthenticated
from pledgebank.web.session import db_session

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
