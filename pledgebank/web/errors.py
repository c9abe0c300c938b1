"""One mapping from errors to responses: an HTML page for people, a JSON body for the API."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from pledgebank.errors import DomainError, NotAuthenticated
from pledgebank.text import _t
from pledgebank.web.reconnect import after_disconnect

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """True for API requests and clients that prefer JSON to HTML."""
    if request.path.startswith("/api/") or request.path.startswith("/stripe/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn webargs/marshmallow nested messages into {"field.sub": [message, ...]}."""
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "_": list(messages)}
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix or "_": [str(messages)]}


# Where webargs found a request argument; fields are named without it, as the service names them.
_LOCATIONS = frozenset({"json", "query", "querystring", "form", "headers", "cookies", "files", "view_args"})


def _without_locations(messages: Any) -> Any:
    """Merge webargs' {"json": {...}, "query": {...}} so that fields are named as in the service's errors."""
    if isinstance(messages, dict) and messages and set(messages) <= _LOCATIONS:
        merged: dict[str, Any] = {}
        for inner in messages.values():
            merged.update(inner if isinstance(inner, dict) else {"_": inner})
        return merged
    return messages


def json_error(status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> Response:
    """The API's error body: {"error": code, "message": text, "fields": {name: [messages]}}."""
    response = Response(status=status, mimetype="application/json")
    response.set_data(json.dumps({"error": code, "message": message, "fields": fields or {}}))
    return response


def _page(
    status: int, title: str, message: str, fields: dict[str, list[str]] | None = None
) -> tuple[str, int]:
    try:
        page = render_template(
            "errors/error.html", status=status, title=title, message=message, fields=fields or {}
        )
    except Exception:
        # The site's page could not be drawn (its database is down, say): a plain page in the site's style.
        log.exception("the error page for %s could not be rendered", status)
        page = _PLAIN.format(title=escape(title), message=escape(message))
    return page, status


_PLAIN = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>{title} · PledgeBank</title>"
    '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    '<link rel="stylesheet" href="/static/style.css"></head><body>'
    '<header class="site-header"><div class="wrap"><a class="brand" href="/">PledgeBank</a></div></header>'
    '<main id="main" class="wrap"><h1>{title}</h1><p>{message}</p>'
    '<p><a href="/">Go to the home page</a></p></main></body></html>'
)

# What people are told on the site's pages for the framework's errors (Werkzeug's words are for developers).
_PAGE_MESSAGES = {
    404: _t(
        "There is no page at this address. The link may be mistyped or out of date, or what it pointed to "
        "may have been removed."
    ),
    405: _t("This page cannot be used that way. Go back and use the page's own buttons and links."),
    500: _t(
        "Something went wrong on our side, and nothing you sent was half-saved. Please try again in a "
        "minute; if it keeps happening, tell your neighbourhood's treasurer or chair."
    ),
    503: _t(
        "We lost touch with our database for a moment, and nothing you sent was half-saved. Please send it "
        "again."
    ),
}


def handle_domain_error(error: DomainError) -> Any:
    """Render a refused request as JSON or as a page (signed-out visitors are sent to sign in)."""
    if wants_json():
        return json_error(error.status, error.code, error.message, error.fields)
    if isinstance(error, NotAuthenticated):
        return redirect(
            url_for("accounts.login", next=request.full_path if request.method == "GET" else None)
        )
    # A refused choice made with a button has no form to show again: the page names it instead.
    return _page(
        error.status, _TITLES.get(error.status, _l("Something is not right")), error.message, error.fields
    )


_TITLES = {
    400: _l("Something is not right"),
    401: _l("Please sign in"),
    403: _l("You cannot do that"),
    404: _l("Page not found"),
    405: _l("Not allowed"),
    409: _l("That clashes with what is there"),
    413: _l("Too large"),
    422: _l("Please check what you entered"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("Please try again"),
}

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def handle_http_exception(error: HTTPException) -> Any:
    """Render a framework error (404, 405, 429, CSRF, request validation) in our two formats."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    fields = _flatten(_without_locations(data.get("messages") or data.get("errors") or {})) if data else {}
    message: str
    if isinstance(error, CSRFError):
        message = _t(
            "This form has expired or was sent from elsewhere. Go back, reload the page and try again."
        )
    elif status == 429:
        message = _t("Too many attempts. Wait a minute and try again.")
    elif status == 422 and fields:
        message = _t("Some of the information given is not valid.")
    else:
        message = error.description or _TITLES.get(status, "")
    if status in _PAGE_MESSAGES and not wants_json() and not isinstance(error, CSRFError):
        message = _PAGE_MESSAGES[status]
    if wants_json():
        response = json_error(
            status,
            "csrf_failed" if isinstance(error, CSRFError) else _CODES.get(status, "error"),
            message,
            fields,
        )
    else:
        body, _ = _page(status, _TITLES.get(status, _l("Something is not right")), message)
        response = Response(body, status=status, mimetype="text/html")
    # The exception's own headers say what the client needs next: Allow on a 405, Retry-After on a 429.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_unexpected(error: Exception) -> Any:
    """Log a bug and answer with a plain 500 (never a traceback)."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    reconnected = after_disconnect(error)
    if reconnected is not None:
        return reconnected
    # The route, not the path: a path can hold a token from an emailed link.
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    log.exception("unhandled error on %s %s", request.method, route)
    return handle_http_exception(InternalServerError())


def register(app: Flask) -> None:
    """Install the handlers on the app."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
