"""Delivering queued emails: SMTP through Flask-Mail, or files in an outbox folder for development."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_mail import Message

from pledgebank.extensions import mail
from pledgebank.outbox import Email

log = logging.getLogger("pledgebank.mail")


def absolute_url(endpoint: str, **values: object) -> str:
    """A full URL for endpoint under BASE_URL; works outside requests (jobs, CLI, after commit)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def render_email(email: Email) -> Message:
    """Render the email's text template into a Flask-Mail message."""
    body = render_template(f"email/{email.template}.txt", **email.context)
    headers = {}
    if email.unsubscribe is not None:
        endpoint, values = email.unsubscribe
        # RFC 8058: a mail program may unsubscribe with one POST to the link, no page in between.
        headers = {
            "List-Unsubscribe": f"<{absolute_url(endpoint, **values)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return Message(
        subject=email.subject,
        recipients=[email.to],
        body=body,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers=headers or None,
    )


def send_email(email: Email) -> None:
    """Deliver one email now: by SMTP when a server is set, else into the outbox folder."""
    message = render_email(email)
    outbox = current_app.config.get("MAIL_OUTBOX")
    if current_app.config.get("MAIL_SERVER") or not outbox:
        mail.send(message)
        return
    folder = Path(outbox)
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", email.subject.lower()).strip("-")[:40]
    existing = sorted(folder.glob("*.eml"))
    number = int(existing[-1].name.split("-", 1)[0]) if existing else 0
    while True:  # numbered in order of sending; "x" mode makes two senders never share a number
        number += 1
        path = folder / f"{number:05d}-{slug}.eml"
        try:
            with path.open("xb") as file:
                file.write(message.as_bytes())
            break
        except FileExistsError:
            continue
    log.info("email written to the outbox", extra={"template": email.template, "file": path.name[:5]})


def init_app(app: Flask) -> None:
    """Bind Flask-Mail to the app's settings."""
    app.config.update(
        MAIL_SUPPRESS_SEND=not app.config["MAIL_SERVER"],
        MAIL_PORT=app.config["MAIL_PORT"],
    )
    mail.init_app(app)
