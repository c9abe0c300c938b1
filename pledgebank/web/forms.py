"""Helpers shared by the HTML forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from pledgebank.errors import DomainError
from pledgebank.policy import permissions
from pledgebank.web.auth import current_user_id
from pledgebank.web.session import db_session


def show_errors(form: FlaskForm, error: DomainError) -> None:
    """Put a refused request's field errors beside the fields, and anything else at the top of the form."""
    placed = False
    for name, messages in error.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), *messages]
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def refused(error: DomainError) -> bool:
    """Errors that are pages of their own (sign in, not allowed, not found) rather than form errors."""
    return error.status in (401, 403, 404)


def allowed_actions(neighbourhood_id: int) -> dict[str, bool]:
    """What the signed-in user may do in the neighbourhood, by action name (for templates)."""
    allowed = permissions(db_session(), current_user_id(), neighbourhood_id)  # one read of the user's roles
    return {action.value: may for action, may in allowed.items()}


def safe_next(target: str | None, default: str) -> str:
    """Return target if it is a path on this site, else default (no open redirects, no control characters,
    nothing of thousands of characters)."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or len(target) > 2000
        or any(ord(character) < 32 for character in target)
    ):
        return default
    return target
