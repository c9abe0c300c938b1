"""Error reports to Sentry, only when PLEDGEBANK_SENTRY_DSN is set, with personal data kept out.

The SDK is told to send no personal data (no user, no client address, no request bodies, no local
variables), and every event passes through `scrub` before it leaves: cookies, credentials, user details and
anything under a key that names a person are removed, and email addresses and Stripe keys in any text
(an exception's message, a log breadcrumb) are masked.
"""

from __future__ import annotations

from typing import Any

from pledgebank.logs import mask

# Request headers that carry credentials or identify the browser; dropped whatever their case.
_HEADERS = frozenset(
    {"authorization", "cookie", "set-cookie", "x-api-key", "stripe-signature", "x-csrftoken"}
)
# Keys whose values name or reach a person, in any part of the event.
_PERSONAL_KEYS = frozenset(
    {
        "email",
        "name",
        "display_name",
        "full_name",
        "first_name",
        "last_name",
        "address",
        "postcode",
        "phone",
        "password",
        "ip_address",
        "username",
        "to",
        "recipients",
    }
)
_installed: dict[str, Any] = {}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {
            key: "[removed]" if str(key).lower() in _PERSONAL_KEYS else _clean(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def scrub(event: dict[str, Any], _hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event without cookies, credentials, bodies or user details, and with addresses and keys masked."""
    event = dict(event)
    event.pop("user", None)
    request = dict(event.get("request") or {})
    request.pop("cookies", None)
    request.pop("data", None)
    request.pop("env", None)
    request.pop("query_string", None)
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {k: v for k, v in headers.items() if k.lower() not in _HEADERS}
    elif isinstance(headers, list):
        request["headers"] = [pair for pair in headers if str(pair[0]).lower() not in _HEADERS]
    if request:
        event["request"] = request
    # The SDK's and runtime's own descriptions ("name": "CPython") are kept; their text is still masked.
    kept = {key: mask_all(event.pop(key)) for key in ("sdk", "contexts") if key in event}
    return {**_clean(event), **kept}


def mask_all(value: Any) -> Any:
    """Every string inside value with email addresses and keys masked, keys and structure unchanged."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_all(item) for item in value]
    return value


def init(dsn: str, *, environment: str, transport: Any = None) -> bool:
    """Start reporting errors to dsn (once per process); False when no DSN is given."""
    if not dsn:
        return False
    if _installed.get("dsn") == dsn:
        return True
    import sentry_sdk

    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "send_default_pii": False,
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": scrub,
        "before_send_transaction": scrub,
        "before_breadcrumb": lambda crumb, _hint: _clean(crumb),
        "traces_sample_rate": 0.0,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    _installed["dsn"] = dsn
    return True
