"""Marking text for the message catalogue in Flask-free code: `N_("…")` leaves the text as it is, and
`pybabel extract` finds it. The text is translated where it is shown (an email's subject by the mailer, a
refusal's reason by the page that shows it), in the reader's language."""

from __future__ import annotations


def N_(text: str) -> str:
    """The text itself, marked for the message catalogue."""
    return text
