"""Job payloads as JSON: plain values, with dates and times tagged so that they come back as they went in."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"a job payload cannot hold a {type(value).__name__}")


def _hook(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        if "__datetime__" in value:
            return datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return date.fromisoformat(value["__date__"])
    return value


def dumps(payload: dict[str, Any]) -> str:
    """The payload as JSON text; refuses (TypeError) anything that would not come back the same."""
    return json.dumps(payload, default=_default, sort_keys=True, separators=(",", ":"))


def loads(text: str) -> dict[str, Any]:
    """The payload back from its JSON text."""
    loaded: dict[str, Any] = json.loads(text, object_hook=_hook)
    return loaded
