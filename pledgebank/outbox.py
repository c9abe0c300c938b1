"""Emails that services ask for; they are sent only after the unit of work commits."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from pledgebank import metrics
from pledgebank.db import after_commit

log = logging.getLogger(__name__)
# Closed accounts keep an address under this reserved name, which can never receive mail.
ERASED_DOMAIN = "erased.invalid"


@dataclass(frozen=True, slots=True)
class Email:
    """One message: a recipient, a subject, and a template (under templates/email/) with its context."""

    to: str
    subject: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # An endpoint and its values for a one-click unsubscribe link, sent as the List-Unsubscribe header.
    unsubscribe: tuple[str, dict[str, Any]] | None = None


class EmailSender(Protocol):
    """Whatever delivers rendered email (Flask-Mail in the app)."""

    def __call__(self, email: Email) -> None: ...


def send_after_commit(session: Session, email: Email) -> None:
    """Queue email for delivery once the current transaction commits."""
    if email.to.lower().endswith("@" + ERASED_DOMAIN):
        return  # the person closed their account: nobody is there to read it
    sender: EmailSender | None = session.info.get("send_email")
    if sender is None:
        metrics.EMAILS.labels(result="dropped").inc()
        log.warning("no email sender on this session; dropping an email", extra={"template": email.template})
        return
    after_commit(session, lambda: deliver(sender, email))


def deliver(sender: EmailSender, email: Email) -> None:
    """Hand one committed email to the sender, counting it queued, then sent or failed.

    A failure is logged by the kind of error only: a mail server's refusal quotes the recipient's address.
    """
    metrics.EMAILS.labels(result="queued").inc()
    try:
        sender(email)
    except Exception as error:
        metrics.EMAILS.labels(result="failed").inc()
        log.error("email delivery failed", extra={"template": email.template, "error": type(error).__name__})
        return
    metrics.EMAILS.labels(result="sent").inc()
