"""POST /stripe/webhook: Stripe tells us about payments; we verify, then re-read and act."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request

from pledgebank import metrics
from pledgebank.extensions import csrf
from pledgebank.payments.context import payments_context
from pledgebank.payments.gateway import InvalidWebhook, MalformedWebhook
from pledgebank.payments.webhooks import handle_event, record_rejected_webhook
from pledgebank.web.errors import json_error
from pledgebank.web.input_guard import raw_body
from pledgebank.web.session import now, this_app, transaction

log = logging.getLogger(__name__)
bp = Blueprint("stripe", __name__)
# Stripe signs what it posts here (checked on the raw body); a form's CSRF token is not what protects it.
csrf.exempt(bp)


@bp.post("/stripe/webhook")
@raw_body
def webhook():
    """Verify the signature on the raw body: a bad or old one is a 400, a duplicate a 200 doing nothing.

    A correctly signed body that is not an event we can read is a 400 too, and is kept for inspection.
    """
    gateway = current_app.extensions["pledgebank.gateway"]
    if not gateway.available:
        return json_error(404, "not_found", "Card payments are not configured here.")
    payload = request.get_data(cache=False)
    try:
        event = gateway.verify_webhook(payload=payload, signature=request.headers.get("Stripe-Signature"))
    except MalformedWebhook as error:
        with transaction() as session:
            record_rejected_webhook(session, body=payload, reason=error.reason, now=now())
        _count("unreadable", "malformed")
        return json_error(400, "malformed_event", f"Webhook rejected: {error.reason}.")
    except InvalidWebhook as error:
        _count("unverified", "invalid_signature")
        return json_error(400, "invalid_signature", f"Webhook rejected: {error}")
    try:
        app = this_app()
        effect = handle_event(payments_context(app), app.extensions["pledgebank.webhooks"], event, now=now())
    except Exception:
        _count(event.type, "error")
        raise
    _count(event.type, effect)
    log.info("webhook event", extra={"event_type": event.type, "effect": effect})
    return jsonify({"received": True, "effect": effect})


def _count(event_type: str, result: str) -> None:
    metrics.WEBHOOK_EVENTS.labels(type=event_type[:64], result=result).inc()
