"""Security headers on every response, cookie settings, and no server software named in responses."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.serving import WSGIRequestHandler

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# Browsers that have seen the service over HTTPS refuse plain HTTP to it (and its subdomains) for two years.
HSTS = "max-age=63072000; includeSubDomains"
# What the Server header says: no software names or versions for scanners to match against known flaws.
SERVER_NAME = "pledgebank"


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(self)"
    )
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _plain_server_name(_handler: WSGIRequestHandler) -> str:
    return SERVER_NAME


def init_app(app: Flask) -> None:
    """Set cookie flags (Secure in production) and add the headers (HSTS in production) to every response."""
    production = app.config["ENV"] == "production"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=production,
        PREFERRED_URL_SCHEME="https" if production else "http",
    )
    app.after_request(_headers)
    if production:
        app.after_request(_hsts)
    # Flask's development server (`pledgebank run`, `pledgebank demo`) writes its own Server header,
    # "Werkzeug/x Python/y"; the app cannot remove it from a response, so the server is told what to say.
    WSGIRequestHandler.version_string = _plain_server_name  # type: ignore[assignment]  # patched on purpose
