"""The Twilio adapter's webhook check with Twilio's own library: a correctly signed request is taken, a forged
or unsigned one is refused with 403 and nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from pledgebank.db import unit_of_work
from pledgebank.sms.models import SmsInbound
from pledgebank.sms.twilio_provider import TwilioSms
from tests.helpers.sms import NUMBER, PHONE, text_world

TOKEN = "twilio-test-auth-token-0123456789"
URL = "http://localhost/sms/inbound"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SMS": TwilioSms("AC" + "0" * 32, TOKEN)}


def _form(message_id: str = "SM" + "1" * 32, body: str = "HELP") -> dict:
    return {
        "MessageSid": message_id,
        "From": PHONE,
        "To": NUMBER,
        "Body": body,
        "AccountSid": "AC" + "0" * 32,
    }


def _stored(app) -> int:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(func.count()).select_from(SmsInbound))


def test_a_correctly_signed_webhook_is_taken_once(app, web):
    text_world(app)
    form = _form()
    signature = RequestValidator(TOKEN).compute_signature(URL, form)
    response = web.post("/sms/inbound", form, csrf=False, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200 and b"<Response>" in response.data
    again = web.post("/sms/inbound", form, csrf=False, headers={"X-Twilio-Signature": signature})
    assert again.status_code == 200
    assert _stored(app) == 1


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "forged"])
def test_a_forged_or_missing_signature_is_refused(app, web, signature):
    text_world(app)
    form = _form()
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    headers["Accept"] = "application/json"
    response = web.post("/sms/inbound", form, csrf=False, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forged_webhook"
    assert _stored(app) == 0


def test_a_signature_for_other_words_is_refused(app, web):
    text_world(app)
    signature = RequestValidator(TOKEN).compute_signature(URL, _form(body="HELP"))
    response = web.post(
        "/sms/inbound", _form(body="STOP"), csrf=False, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403
    assert _stored(app) == 0


def test_a_signed_webhook_missing_fields_names_them(app, web):
    text_world(app)
    form = {"Body": "HELP"}
    signature = RequestValidator(TOKEN).compute_signature(URL, form)
    response = web.post(
        "/sms/inbound",
        form,
        csrf=False,
        headers={"X-Twilio-Signature": signature, "Accept": "application/json"},
    )
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"MessageSid", "From", "To"}
