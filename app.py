"""WSGI entry point: `gunicorn app:app` or `flask --app app run`."""

import sys

from pledgebank import create_app
from pledgebank.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.stderr.write(f"pledgebank: {error}\n")
    raise SystemExit(1) from None
