"""Emails that services ask for; they are sent only after the unit of work commits."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from pledgebank import metrics
from pledgebank.db import after_commit
from pledgebank.tasks.queue import enqueue

log = logging.getLogger(__name__)
EMAIL_JOB = "email"
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
    """Queue email in the session's transaction: it is sent (by a worker) only if that transaction commits."""
    if email.to.lower().endswith("@" + ERASED_DOMAIN):
        return  # the person closed their account: nobody is there to read it
    if "tasks" not in session.info:
        metrics.EMAILS.labels(result="dropped").inc()
        log.warning("no task queue on this session; dropping an email", extra={"template": email.template})
        return
    enqueue(session, EMAIL_JOB, email_payload(email), recipient_email=email.to)
    after_commit(session, metrics.EMAILS.labels(result="queued").inc)


def email_payload(email: Email) -> dict[str, Any]:
    """The job's payload: the email, and the id its message keeps however often delivery is tried."""
    return {
        "to": email.to,
        "subject": email.subject,
        "template": email.template,
        "context": email.context,
        "unsubscribe": list(email.unsubscribe) if email.unsubscribe else None,
        "message_id": uuid.uuid4().hex,
    }


def email_from(payload: dict[str, Any]) -> Email:
    """The email a job's payload holds."""
    unsubscribe = payload.get("unsubscribe")
    return Email(
        to=payload["to"],
        subject=payload["subject"],
        template=payload["template"],
        context=payload["context"],
        unsubscribe=(unsubscribe[0], unsubscribe[1]) if unsubscribe else None,
    )


def deliver(sender: EmailSender, email: Email) -> None:
    """Hand one email to the sender, counting it sent, or failed (and raising, so the job is retried).

    A failure is logged by the kind of error only: a mail server's refusal quotes the recipient's address.
    """
    try:
        sender(email)
    except Exception as error:
        metrics.EMAILS.labels(result="failed").inc()
        log.error("email delivery failed", extra={"template": email.template, "error": type(error).__name__})
        raise
    metrics.EMAILS.labels(result="sent").inc()
