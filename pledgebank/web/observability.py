"""Every request: an id (kept from a valid X-Request-ID, else made) in the logs and the response, its count
and time in the metrics by route, and one access line naming the route, never the raw path (which can hold
a token from an emailed link)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from pledgebank import logs, metrics

log = logging.getLogger("pledgebank.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What an incoming id may look like: a proxy's UUID or similar token, never free text.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def note_actor(user_id: int | None) -> None:
    """Record who acts in this request, for callers not signed in by the session (API tokens)."""
    g.actor_id = user_id


def _actor() -> int | None:
    if g.get("actor_id") is not None:
        return g.actor_id
    # Only a user the request has loaded already: logging never costs a query.
    return getattr(g.get("_login_user"), "id", None)


def _fields() -> dict[str, Any]:
    if not has_request_context():
        return {}
    return {
        "request_id": g.get("request_id"),
        "actor_id": _actor(),
        "neighbourhood": (request.view_args or {}).get("slug"),
    }


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def _start() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    if "request_id" not in g:
        return response
    response.headers[REQUEST_ID_HEADER] = g.request_id
    seconds = time.perf_counter() - g.pop("request_started")
    route, method = _route(), request.method if request.method in _METHODS else "other"
    metrics.REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
    metrics.REQUEST_SECONDS.labels(route=route, method=method).observe(seconds)
    log.info(
        "request",
        extra={
            "method": method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Start timing before every other hook, and stamp, count and log every response."""
    logs.configure(app.config.get("LOG_LEVEL", "INFO"))
    logs.add_context_provider(_fields)
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
