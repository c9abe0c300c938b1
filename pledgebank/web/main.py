"""The home page, and the development outbox where emailed links can be read."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

from pledgebank.accounts.web.forms import LoginForm

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Landing page with a sign-in form and a neighbourhood search."""
    return render_template("home.html", form=LoginForm(formdata=None))


def _outbox() -> Path:
    folder = current_app.config.get("MAIL_OUTBOX")
    if current_app.config["ENV"] == "production" or current_app.config.get("MAIL_SERVER") or not folder:
        abort(404)
    return Path(folder)


@bp.get("/dev/outbox")
def outbox():
    """Emails the service has written instead of sending (development and demo only)."""
    folder = _outbox()
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:100]:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        messages.append({"name": path.stem, "to": message["To"], "subject": message["Subject"]})
    return render_template("dev/outbox.html", messages=messages, folder=folder)


@bp.get("/dev/outbox/<name>")
def outbox_message(name: str):
    """One written email, with its text body."""
    folder = _outbox()
    path = folder / f"{name}.eml"
    if "/" in name or ".." in name or not path.is_file():
        abort(404)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    return render_template("dev/message.html", message=message, body=body.get_content() if body else "")
