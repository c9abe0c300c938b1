"""Emails that services ask for; they are sent only after the unit of work commits."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sqlalchemy.orm import Session

from pledgebank import metrics
from pledgebank.db import after_commit
from pledgebank.languages import recipient_language
from pledgebank.tasks.queue import enqueue
from pledgebank.text import from_plain, to_plain

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
    # The neighbourhood the email is about: its default language is used for a recipient who chose none.
    neighbourhood_id: int | None = None
    # The language it is written in ("en", "cy"); found when it is queued (see send_after_commit).
    language: str | None = None


class EmailSender(Protocol):
    """Whatever delivers rendered email (Flask-Mail in the app)."""

    def __call__(self, email: Email) -> None: ...


def send_after_commit(session: Session, email: Email) -> None:
    """Queue email in the session's transaction: it is sent (by a worker) only if that transaction commits.

    It is written in the recipient's language: the one they chose, else the default of the neighbourhood it is
    about, else English; its subject and text are translated when the worker renders it.
    """
    if email.to.lower().endswith("@" + ERASED_DOMAIN):
        return  # the person closed their account: nobody is there to read it
    if email.to.lower().endswith(".invalid"):
        return  # a reserved name that never receives mail (a person who pledged by text has no address)
    if "tasks" not in session.info:
        metrics.EMAILS.labels(result="dropped").inc()
        log.warning("no task queue on this session; dropping an email", extra={"template": email.template})
        return
    language = email.language or recipient_language(session, email.to, email.neighbourhood_id)
    enqueue(session, EMAIL_JOB, email_payload(replace(email, language=language)), recipient_email=email.to)
    after_commit(session, metrics.EMAILS.labels(result="queued").inc)


def email_payload(email: Email) -> dict[str, Any]:
    """The job's payload: the email, and the id its message keeps however often delivery is tried."""
    return {
        "to": email.to,
        "subject": to_plain(email.subject),
        "template": email.template,
        "context": email.context,
        "unsubscribe": list(email.unsubscribe) if email.unsubscribe else None,
        "message_id": uuid.uuid4().hex,
        "language": email.language,
    }


def email_from(payload: dict[str, Any]) -> Email:
    """The email a job's payload holds."""
    unsubscribe = payload.get("unsubscribe")
    return Email(
        to=payload["to"],
        subject=from_plain(payload["subject"]),
        template=payload["template"],
        context=payload["context"],
        unsubscribe=(unsubscribe[0], unsubscribe[1]) if unsubscribe else None,
        language=payload.get("language"),
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
