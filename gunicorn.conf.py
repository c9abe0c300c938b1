"""gunicorn settings, read from the project folder by `gunicorn app:app`.

The Server header names no software: gunicorn writes "Server: gunicorn" itself on every response, from a
module constant that no setting changes, so it is replaced here, before any worker starts.
The master refuses to start several workers when rate limits are counted in each process's memory.
With PROMETHEUS_MULTIPROC_DIR set, the master empties that folder before the workers start (counts left by an
earlier run would be added to this one's) and tells it when a worker exits.
"""

import sys
from pathlib import Path

import gunicorn.http.wsgi

from pledgebank import PROJECT_ROOT, metrics
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
    _empty_metrics_folder()


def _empty_metrics_folder() -> None:
    folder = metrics.multiprocess_dir()
    if folder is None:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for path in Path(folder).glob("*.db"):
        path.unlink()


def child_exit(_server, worker) -> None:
    """A worker has exited: its live-process gauges in the metrics folder are dropped (counters stay)."""
    metrics.mark_process_dead(worker.pid)


def _refuse(reason: str) -> None:
    sys.stderr.write(f"pledgebank: {reason}\n")
    sys.stderr.flush()
    raise SystemExit(APP_LOAD_ERROR)
