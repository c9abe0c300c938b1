"""The Twilio adapter: texts sent with Twilio's official library, inbound webhooks checked with its
`RequestValidator` (an HMAC-SHA1 of the URL and the form's fields under the account's auth token)."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from twilio.rest import Client

from pledgebank.sms.provider import ForgedWebhook, Inbound, inbound_from_form


class TwilioSms:
    """Send through Twilio's Messages API; read its inbound-message webhooks."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        self._client = Client(account_sid, auth_token)
        self._validator = RequestValidator(auth_token)

    def send(self, *, sender: str, to: str, body: str) -> str:
        """Send one text; Twilio's message SID."""
        message = self._client.messages.create(to=to, from_=sender, body=body)
        return str(message.sid)

    def inbound(self, *, url: str, form: Mapping[str, str], signature: str | None) -> Inbound:
        """The text of a webhook whose X-Twilio-Signature holds for this URL and form; else ForgedWebhook."""
        if not signature or not self._validator.validate(url, dict(form), signature):
            raise ForgedWebhook()
        return inbound_from_form(form)
