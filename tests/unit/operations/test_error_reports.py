"""Error reports to Sentry carry no personal data: the scrubber removes cookies, credentials, bodies and user
details and masks email addresses and keys; the SDK, set up as the service does, sends only what is left."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pledgebank import PROJECT_ROOT
from pledgebank.error_reports import scrub

EVENT = {
    "user": {"id": 12, "email": "priya@example.org", "ip_address": "203.0.113.7"},
    "request": {
        "url": "https://pledgebank.example/n/elm-park",
        "method": "POST",
        "headers": {
            "Cookie": "session=abc",
            "Authorization": "Bearer pbk_secret",
            "Stripe-Signature": "t=1,v1=x",
            "User-Agent": "Mozilla/5.0",
        },
        "cookies": {"session": "abc"},
        "data": {"display_name": "Priya Shah", "email": "priya@example.org"},
        "query_string": "email=priya%40example.org",
        "env": {"REMOTE_ADDR": "203.0.113.7"},
    },
    "exception": {
        "values": [{"type": "RuntimeError", "value": "no account for priya@example.org using sk_live_51Habc"}]
    },
    "extra": {"display_name": "Priya Shah", "pledge_id": 7, "nested": [{"name": "Tom Okafor"}]},
    "breadcrumbs": {"values": [{"message": "mail to tom@example.org failed", "category": "pledgebank.mail"}]},
    "contexts": {"runtime": {"name": "CPython", "version": "3.11"}},
    "sdk": {"name": "sentry.python.flask"},
}


def test_the_scrubber_removes_cookies_credentials_bodies_and_people():
    cleaned = scrub(json.loads(json.dumps(EVENT)), {})
    text = json.dumps(cleaned)
    for secret in (
        "priya@example.org",
        "tom@example.org",
        "Priya Shah",
        "Tom Okafor",
        "session=abc",
        "pbk_secret",
        "sk_live_51Habc",
        "203.0.113.7",
        "t=1,v1=x",
    ):
        assert secret not in text, secret
    assert "user" not in cleaned
    assert set(cleaned["request"]) == {"url", "method", "headers"}
    assert cleaned["request"]["headers"] == {"User-Agent": "Mozilla/5.0"}
    assert cleaned["exception"]["values"][0]["value"] == "no account for [email] using [secret]"
    assert cleaned["extra"]["pledge_id"] == 7
    assert cleaned["contexts"]["runtime"]["name"] == "CPython", "the runtime's own description is kept"
    assert cleaned["sdk"]["name"] == "sentry.python.flask"


def test_header_lists_are_scrubbed_too():
    cleaned = scrub({"request": {"headers": [["cookie", "a=b"], ["Accept", "text/html"]]}})
    assert cleaned["request"]["headers"] == [["Accept", "text/html"]]


SEND = """
import json, sentry_sdk
from pledgebank import error_reports

sent = []
class Capture(sentry_sdk.transport.Transport):
    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.headers.get("type") == "event":
                sent.append(item.payload.json)

assert error_reports.init("https://key@o0.ingest.invalid/1", environment="production", transport=Capture)
options = sentry_sdk.get_client().options
with sentry_sdk.new_scope() as scope:
    scope.set_user({"email": "priya@example.org", "username": "Priya Shah"})
    sentry_sdk.add_breadcrumb(message="signed in as tom@example.org")
    try:
        raise RuntimeError("nothing for priya@example.org with whsec_abc123")
    except RuntimeError:
        sentry_sdk.capture_exception()
sentry_sdk.flush()
pii, local_variables = options["send_default_pii"], options["include_local_variables"]
print(json.dumps({"events": sent, "pii": pii, "locals": local_variables}))
"""


def test_the_sdk_sends_only_scrubbed_events():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY")}
    result = subprocess.run(
        [sys.executable, "-c", SEND], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["pii"] is False and report["locals"] is False
    assert len(report["events"]) == 1
    text = json.dumps(report["events"][0])
    assert "RuntimeError" in text
    for secret in ("priya@example.org", "tom@example.org", "Priya Shah", "whsec_abc123"):
        assert secret not in text, secret
