"""Reading a webhook event's body once its signature is verified: the shape Stripe documents, or a refusal.

Stripe signs what it sends, but a signed body can still be one we cannot act on (sent by hand with the
secret, or from an API version we do not speak). Each such body is refused with the reason in words, before
anything is stored under its id.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any

from pledgebank.inputs import nested_deeper_than
from pledgebank.payments.gateway import MalformedWebhook, WebhookEvent

# Stripe's ids are at most 255 characters of letters, digits and a few separators.
MAX_ID_LENGTH = 255
_ID = re.compile(r"[A-Za-z0-9_.:\-]+")
# Deeper than any event Stripe sends; parsing stops well before Python's recursion limit.
MAX_DEPTH = 64


_JSON_KINDS = {
    list: "list",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _load(payload: bytes | str) -> Any:
    try:
        value = json.loads(payload)
    except RecursionError:
        raise MalformedWebhook(f"the body is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:
        raise MalformedWebhook("the body is not JSON") from None
    if nested_deeper_than(value, MAX_DEPTH):
        raise MalformedWebhook(f"the body is nested more than {MAX_DEPTH} levels deep")
    return value


def _identifier(value: Any, what: str, *, required: bool = True) -> str:
    """An id or type: a string of at most 255 letters, digits and separators."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise MalformedWebhook(f"{what} is missing or not a string")
    if not value and not required:
        return ""
    if len(value) > MAX_ID_LENGTH:
        raise MalformedWebhook(f"{what} is longer than {MAX_ID_LENGTH} characters")
    if not _ID.fullmatch(value):
        raise MalformedWebhook(f"{what} is empty or holds characters an id never has")
    return value


def parse_event(payload: bytes | str) -> WebhookEvent:
    """The event in a verified webhook body; raise MalformedWebhook saying what is wrong with it."""
    event = _load(payload)
    if not isinstance(event, dict):
        raise MalformedWebhook(
            f"the body is a JSON {_JSON_KINDS.get(type(event), 'value')}, not an event object"
        )
    event_id = _identifier(event.get("id"), "the event's id")
    kind = _identifier(event.get("type"), "the event's type")
    created = event.get("created")
    if not isinstance(created, int) or isinstance(created, bool) or created < 0:
        raise MalformedWebhook("the event's created time is missing or not a whole number")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise MalformedWebhook("the event has no data.object")
    # Some objects have no id of their own (a balance, say); such events concern nothing we hold.
    object_type = _identifier(obj.get("object"), "data.object.object", required=False)
    object_id = _identifier(obj.get("id"), "data.object.id", required=False)
    return WebhookEvent(event_id, kind, object_type, object_id, created)


class Concerning(StrEnum):
    """The objects a feature's webhook handler can be about, named as Stripe names them (data.object.object).

    Refunds, disputes and charges are the books' own (payments/refund_events.py); these two belong to
    whichever feature made them, and each feature registers the handler that finds and applies its own.
    """

    PAYMENT = "payment_intent"
    CARD_SETUP = "setup_intent"
