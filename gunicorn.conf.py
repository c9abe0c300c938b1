"""gunicorn settings, read from the project folder by `gunicorn app:app`.

The Server header names no software: gunicorn writes "Server: gunicorn" itself on every response, from a
module constant that no setting changes, so it is replaced here, before any worker starts.
The master refuses to start several workers when rate limits are counted in each process's memory.
"""

import sys

import gunicorn.http.wsgi

from pledgebank import PROJECT_ROOT
from pledgebank.config import ConfigError, from_environment, require_production, worker_refusal
from pledgebank.web.security import SERVER_NAME

gunicorn.http.wsgi.SERVER = SERVER_NAME

APP_LOAD_ERROR = 4  # the status with which app.py refuses; gunicorn exits with it too


def on_starting(server) -> None:
    """Stop before binding the port, with one line, if these settings refuse or cannot run this many workers.

    The workers would refuse too (app.py), but several refusing at once can reach the master while it is
    already halting, and it then stops with a traceback instead of the reason.
    """
    try:
        settings = from_environment(PROJECT_ROOT / ".env")
        if settings["ENV"] == "production":
            require_production(settings)
    except ConfigError as error:
        _refuse(str(error))
    reason = worker_refusal(settings, server.cfg.workers)
    if reason:
        _refuse(reason)


def _refuse(reason: str) -> None:
    sys.stderr.write(f"pledgebank: {reason}\n")
    sys.stderr.flush()
    raise SystemExit(APP_LOAD_ERROR)
