"""POST /stripe/webhook: Stripe tells us about payments; we verify, then re-read and act."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from pledgebank.jobs import payments_context
from pledgebank.payments.gateway import InvalidWebhook
from pledgebank.payments.webhooks import handle_event
from pledgebank.web.errors import json_error
from pledgebank.web.session import now

bp = Blueprint("stripe", __name__)


@bp.post("/stripe/webhook")
def webhook():
    """Verify the signature on the raw body: a bad or old one is a 400, a duplicate a 200 doing nothing."""
    gateway = current_app.extensions["pledgebank.gateway"]
    if not gateway.available:
        return json_error(404, "not_found", "Card payments are not configured here.")
    try:
        event = gateway.verify_webhook(
            payload=request.get_data(cache=False), signature=request.headers.get("Stripe-Signature")
        )
    except InvalidWebhook as error:
        return json_error(400, "invalid_signature", f"Webhook rejected: {error}")
    effect = handle_event(payments_context(current_app._get_current_object()), event, now=now())
    return jsonify({"received": True, "effect": effect})
