"""Helpers shared by the HTML forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from pledgebank.errors import DomainError


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


def safe_next(target: str | None, default: str) -> str:
    """Return target if it is a path on this site, else default (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return default
    return target
