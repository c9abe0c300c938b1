"""gunicorn settings, read from the project folder by `gunicorn app:app`.

The Server header names no software: gunicorn writes "Server: gunicorn" itself on every response, from a
module constant that no setting changes, so it is replaced here, before any worker starts.
The master refuses to start several workers when rate limits are counted in each process's memory.
"""

import sys

import gunicorn.http.wsgi

from pledgebank import PROJECT_ROOT
from pledgebank.config import ConfigError, from_environment, worker_refusal
from pledgebank.web.security import SERVER_NAME

gunicorn.http.wsgi.SERVER = SERVER_NAME

APP_LOAD_ERROR = 4  # the status with which app.py refuses; gunicorn exits with it too


def on_starting(server) -> None:
    """Stop before binding the port if these settings cannot be served by this many workers."""
    try:
        settings = from_environment(PROJECT_ROOT / ".env")
    except ConfigError:
        return  # each worker states the reason and gunicorn stops
    reason = worker_refusal(settings, server.cfg.workers)
    if reason:
        sys.stderr.write(f"pledgebank: {reason}\n")
        sys.stderr.flush()
        raise SystemExit(APP_LOAD_ERROR)
