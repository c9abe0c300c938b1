"""Personal API tokens: create (secret shown once), list, revoke, and authenticate by secret."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.accounts.models import ApiToken, TokenScope, User
from pledgebank.accounts.tokens import hash_api_token, new_api_token
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.text import _t

MAX_ACTIVE_TOKENS = 20
# Record use at most this often, so reads do not turn into a write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def create_api_token(
    session: Session, *, user_id: int, name: str, scope: str, now: datetime
) -> tuple[ApiToken, str]:
    """Create a token for the user and return it with its secret (which is never stored)."""
    label = " ".join((name or "").split())
    if not label or len(label) > 60:
        raise InvalidInput.field("name", _t("Give the token a name of 1 to 60 characters."))
    try:
        token_scope = TokenScope(scope)
    except ValueError:
        raise InvalidInput.field("scope", _t("Choose read or read-write.")) from None
    active = session.scalars(
        select(ApiToken.id).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    ).all()
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            _t(
                "You already have %(max_active_tokens)s active tokens; revoke one first.",
                max_active_tokens=MAX_ACTIVE_TOKENS,
            )
        )
    secret = new_api_token()
    token = ApiToken(
        user_id=user_id,
        name=label,
        prefix=secret[:12],
        token_hash=hash_api_token(secret),
        scope=token_scope.value,
        created_at=now,
    )
    session.add(token)
    return token, secret


def list_api_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc()))
    )


def revoke_api_token(session: Session, *, user_id: int, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of the user's own tokens (revoking twice is harmless)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        raise NotFound(_t("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now
    return token


def authenticate_api_token(session: Session, *, secret: str, now: datetime) -> tuple[User, ApiToken] | None:
    """Return the active user and token for a presented secret, or None."""
    if not secret:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_api_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.user, token
