"""A request that meets a dropped database connection (a restart, a failover, a killed backend).

The pool has already invalidated its connections. A GET or HEAD runs once more on a fresh connection; any
other request answers 503 with Retry-After: its transaction rolled back, so nothing was half-written, and a
retry of a money movement meets its idempotency key.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, g, request
from werkzeug.exceptions import ServiceUnavailable

from pledgebank.db import is_disconnect

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 1


def after_disconnect(error: BaseException) -> Any | None:
    """The response to a request that lost its database connection, or None if error is something else."""
    if not is_disconnect(error):
        return None
    session = g.pop("db_session", None)
    if session is not None:
        session.close()  # its connection is invalidated; the next use checks out a fresh one
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    if request.method in ("GET", "HEAD") and not g.get("db_reconnected"):
        g.db_reconnected = True
        log.warning("database connection dropped on %s %s; running it again", request.method, route)
        try:
            return current_app.dispatch_request()
        except Exception as again:  # answered as any error of the request
            return current_app.handle_user_exception(again)
    log.warning("database connection dropped on %s %s; asked the client to retry", request.method, route)
    return current_app.handle_user_exception(ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS))
