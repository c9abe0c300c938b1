"""/healthz (the process answers), /readyz (it can serve) and /metrics (Prometheus).

Cheap, JSON (metrics: Prometheus text), never rate limited, no CSRF, no session: nothing here touches the
session or the signed-in user, so no cookie is set. Failures say which check failed, never why.

/metrics counts what the service does (requests per route, payments by outcome) and shows the task queue
(jobs by state, the oldest due job's wait, read from the database at each scrape): not personal data, but not
for the public either. It answers a request carrying `Authorization: Bearer <PLEDGEBANK_METRICS_TOKEN>` when
that token is set (Prometheus sends it with `authorization: {credentials: ...}`). Without a token it answers
only clients on this machine, and in production not at all: behind a reverse proxy every request comes from
the proxy's address, so an address rule would let anybody in.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from pledgebank import metrics, readiness
from pledgebank.tasks.figures import queue_figures
from pledgebank.web.errors import json_error

bp = Blueprint("health", __name__)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process is up and answering."""
    return _no_store(jsonify({"status": "ok"}))


@bp.get("/readyz")
def readyz():
    """The database is reachable and at the newest migration, Redis answers, production has its Stripe key."""
    engine = current_app.extensions["pledgebank.engine"]
    results = readiness.checks(engine, current_app.config)
    ready = all(results.values())
    body = {
        "status": "ready" if ready else "unavailable",
        "checks": {name: "ok" if passed else "failed" for name, passed in results.items()},
    }
    response = jsonify(body)
    response.status_code = 200 if ready else 503
    return _no_store(response)


def _loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def metrics_allowed() -> bool:
    """The bearer token when one is set; otherwise this machine only, and never in production."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
    return current_app.config["ENV"] != "production" and _loopback()


def _queue_gauges() -> bytes:
    """The task queue's figures now, read on a connection of its own (this page uses no request session);
    nothing when the database does not answer (the counters are still worth scraping; /readyz says why)."""
    sessions = current_app.extensions["pledgebank.sessions"]
    try:
        with sessions() as session:
            jobs, oldest = queue_figures(session, now=current_app.extensions["pledgebank.clock"].now())
    except SQLAlchemyError:
        return b""
    return metrics.render_queue(jobs, oldest)


@bp.get("/metrics")
def metrics_page():
    """Every counter in Prometheus's text format."""
    if not metrics_allowed():
        if current_app.config.get("METRICS_TOKEN"):
            response = json_error(401, "not_authenticated", "Send the metrics token as a bearer token.")
            response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        return json_error(404, "not_found", "Not found.")
    body, content_type = metrics.render()
    body += _queue_gauges()
    return _no_store(Response(body, content_type=content_type))
