"""Signed-in users for Flask-Login: a small wrapper, so models stay free of Flask."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin, current_user

from pledgebank.accounts.models import User
from pledgebank.accounts.sessions import SessionId, new_session_id, parse_session_id, user_for_session
from pledgebank.errors import NotAuthenticated
from pledgebank.extensions import login_manager
from pledgebank.web.session import db_session


class SignedIn(UserMixin):
    """The signed-in user as the web layer sees them."""

    def __init__(self, user: User, session_id: SessionId | None = None) -> None:
        self.id = user.id
        self.email = user.email
        self.display_name = user.display_name
        self.is_verified = user.is_verified
        self.language = user.language
        self.session_id = session_id or new_session_id(user)

    def get_id(self) -> str:
        """The session id (see pledgebank.accounts.sessions): the server can end it, and its copies."""
        return str(self.session_id)


class Anonymous(AnonymousUserMixin):
    """A visitor who is not signed in."""

    id = None
    is_verified = False
    display_name = ""
    language = ""


def _load(raw: str) -> SignedIn | None:
    """Checked on every request, from the session cookie or the remember-me cookie."""
    session_id = parse_session_id(raw)
    user = user_for_session(db_session(), session_id) if session_id else None
    return SignedIn(user, session_id) if user else None


def current_user_id() -> int | None:
    """The signed-in user's id, or None."""
    user: Any = current_user
    return user.id if user.is_authenticated else None


def signed_in_user_id() -> int:
    """The signed-in user's id, on a page only signed-in users reach; NotAuthenticated otherwise."""
    user_id = current_user_id()
    if user_id is None:
        raise NotAuthenticated()
    return user_id


def current_session_id() -> SessionId | None:
    """The id of this browser's sign-in, or None when signed out."""
    user: Any = current_user
    return user.session_id if user.is_authenticated else None


def init_app(app: Flask) -> None:
    """Configure Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(_load)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
