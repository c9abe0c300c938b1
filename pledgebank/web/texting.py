"""Sending a queued text: rendered in the person's language (else the service's), through the provider."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext

from pledgebank.sms.outgoing import text_of

log = logging.getLogger(__name__)


def send_text(payload: dict[str, Any]) -> None:
    """Render and send one text (needs the app context); a failure raises, so the job is retried."""
    provider = current_app.extensions.get("pledgebank.sms")
    if provider is None:
        log.warning("texting is off; a text was dropped")
        return
    language = payload.get("language") or current_app.config["LOCALE"]
    with force_locale(language):
        body = text_of(payload).render(gettext)
    provider.send(sender=payload["sender"], to=payload["to"], body=body)
