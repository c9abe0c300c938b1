"""Delivering queued emails: SMTP through Flask-Mail, or files in an outbox folder for development."""

from __future__ import annotations

import fcntl
import logging
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_mail import Message

from pledgebank.extensions import mail
from pledgebank.outbox import Email
from pledgebank.web.i18n import in_language

log = logging.getLogger("pledgebank.mail")


def absolute_url(endpoint: str, **values: object) -> str:
    """A full URL for endpoint under BASE_URL; works outside requests (jobs, CLI, after commit)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def render_email(email: Email, message_id: str | None = None) -> Message:
    """Render the email's text template into a Flask-Mail message (with a fixed Message-ID when given, so a
    retried delivery is the same message to the mail server and the reader's mail program), in the email's
    language."""
    with in_language(email.language):
        return _render(email, message_id)


def _render(email: Email, message_id: str | None) -> Message:
    body = render_template(f"email/{email.template}.txt", **email.context)
    headers: dict[str, str] = {}
    if email.unsubscribe is not None:
        endpoint, values = email.unsubscribe
        # RFC 8058: a mail program may unsubscribe with one POST to the link, no page in between.
        headers = {
            "List-Unsubscribe": f"<{absolute_url(endpoint, **values)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = Message(
        subject=str(email.subject),
        recipients=[email.to],
        body=body,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers=headers or None,
    )
    if message_id:
        message.msgId = f"<{message_id}@pledgebank.invalid>"
    return message


def send_email(email: Email, *, message_id: str | None = None, retry: bool = False) -> None:
    """Deliver one email now: by SMTP when a server is set, else into the outbox folder.

    A retried delivery (`retry`) of an email with a `message_id` already in the outbox is not written twice.
    """
    message = render_email(email, message_id)
    outbox = current_app.config.get("MAIL_OUTBOX")
    if current_app.config.get("MAIL_SERVER") or not outbox:
        mail.send(message)
        return
    folder = Path(outbox)
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"-{message_id[:12]}" if message_id else ""
    if retry and tag and next(folder.glob(f"*{tag}.eml"), None) is not None:
        return  # written before the last attempt stopped
    slug = re.sub(r"[^a-z0-9]+", "-", email.subject.lower()).strip("-")[:40]
    path = folder / f"{next_number(folder):05d}-{slug}{tag}.eml"
    partial = folder / f".{path.name}.part"
    partial.write_bytes(message.as_bytes())
    os.replace(partial, path)  # whole or not at all, for a reader and for a retry's check
    log.info("email written to the outbox", extra={"template": email.template, "file": path.name[:5]})


def next_number(folder: Path) -> int:
    """The outbox's next number, in order of sending: a counter file under an exclusive lock, so each email
    costs the same however many are there, and two processes never share a number. A folder from before the
    counter is counted once. The counter sits beside the folder, which holds only the emails (and so do its
    backups)."""
    counter = folder.with_name(folder.name + ".counter")
    with counter.open("a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        text = file.read().strip()
        if text:
            number = int(text)
        else:
            names = [path.name for path in folder.glob("*.eml")]
            number = max((int(name.split("-", 1)[0]) for name in names), default=0)
        number += 1
        file.seek(0)
        file.truncate()
        file.write(str(number))
        file.flush()
        return number


def init_app(app: Flask) -> None:
    """Bind Flask-Mail to the app's settings."""
    app.config.update(
        MAIL_SUPPRESS_SEND=not app.config["MAIL_SERVER"],
        MAIL_PORT=app.config["MAIL_PORT"],
    )
    mail.init_app(app)
