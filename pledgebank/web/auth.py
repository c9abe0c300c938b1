"""Signed-in users for Flask-Login: a small wrapper, so models stay free of Flask."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import AnonymousUserMixin, UserMixin, current_user

from pledgebank.accounts.models import User
from pledgebank.accounts.tokens import password_fingerprint
from pledgebank.extensions import login_manager
from pledgebank.inputs import parse_id
from pledgebank.web.session import db_session


class SignedIn(UserMixin):
    """The signed-in user as the web layer sees them."""

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.email = user.email
        self.display_name = user.display_name
        self.is_verified = user.is_verified
        self._fingerprint = password_fingerprint(user.password_hash)

    def get_id(self) -> str:
        """Session id includes a password fingerprint: changing the password signs out other sessions."""
        return f"{self.id}:{self._fingerprint}"


class Anonymous(AnonymousUserMixin):
    """A visitor who is not signed in."""

    id = None
    is_verified = False
    display_name = ""


def _load(session_id: str) -> SignedIn | None:
    user_id, _, fingerprint = session_id.partition(":")
    number = parse_id(user_id)
    if number is None:
        return None
    user = db_session().get(User, number)
    if user is None or not user.is_active or password_fingerprint(user.password_hash) != fingerprint:
        return None
    return SignedIn(user)


def current_user_id() -> int | None:
    """The signed-in user's id, or None."""
    user: Any = current_user
    return user.id if user.is_authenticated else None


def init_app(app: Flask) -> None:
    """Configure Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(_load)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
