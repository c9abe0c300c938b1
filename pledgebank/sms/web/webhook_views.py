"""The provider's inbound-text webhook: the signature checked by the adapter, each text handled once."""

from __future__ import annotations

from flask import Response, abort, current_app, request

from pledgebank.extensions import csrf, limiter
from pledgebank.sms import inbound
from pledgebank.sms.web.blueprint import bp
from pledgebank.web.session import now, transaction

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def limits() -> inbound.Limits:
    """How many texts a number may send an hour, from the settings."""
    return inbound.Limits(per_hour=current_app.config["SMS_PER_HOUR"])


@bp.post("/sms/inbound")
@csrf.exempt
@limiter.exempt
def inbound_text():
    """A text from a phone, posted by the provider; answered by texts of our own, so the reply is empty."""
    provider = current_app.extensions.get("pledgebank.sms")
    if provider is None:
        abort(404)
    message = provider.inbound(
        url=request.url, form=request.form.to_dict(), signature=request.headers.get("X-Twilio-Signature")
    )
    with transaction() as session:
        inbound.receive(session, message, now=now(), base_url=current_app.config["BASE_URL"], limits=limits())
    return Response(EMPTY_TWIML, mimetype="text/xml")
