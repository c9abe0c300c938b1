"""A confirm step for what is hard to undo: the first press shows what will happen, the second does it.

The action's own form posts again with confirm=yes; any other fields it needs travel as hidden inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import render_template
from wtforms import HiddenField

from pledgebank.web.form_base import Form


class ConfirmForm(Form):
    """The second press of a confirm step."""

    class Meta:
        csrf = False  # the app-wide CSRF protection has already checked the token

    confirm = HiddenField()

    @property
    def confirmed(self) -> bool:
        """Whether this press is the confirmation."""
        return self.confirm.data == "yes"


def confirm_page(
    *,
    title: str,
    consequences: Sequence[str],
    action: str,
    button: str,
    back: str,
    back_label: str = "No, go back",
    hidden: Mapping[str, str] | None = None,
    status: int = 200,
):
    """The page asking to confirm: what will happen, in sentences, and one button that does it."""
    return render_template(
        "confirm/confirm.html",
        title=title,
        consequences=consequences,
        action=action,
        button=button,
        back=back,
        back_label=back_label,
        hidden=dict(hidden or {}),
    ), status
