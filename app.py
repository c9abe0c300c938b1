"""WSGI entry point: `gunicorn app:app` or `flask --app app run`."""

import sys

from pledgebank import create_app
from pledgebank.config import ConfigError

# gunicorn's arbiter stops the whole server, instead of starting a new worker, when a worker exits with
# this status (its APP_LOAD_ERROR), so settings that refuse leave no half-running server behind.
APP_LOAD_ERROR = 4

try:
    app = create_app()
except ConfigError as error:
    sys.stderr.write(f"pledgebank: {error}\n")
    sys.stderr.flush()
    raise SystemExit(APP_LOAD_ERROR) from None
