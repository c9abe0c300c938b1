"""`run-due`: every piece of time-driven work, idempotent, safe to run every minute and twice at once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import Flask

from pledgebank.pledges import jobs as pledge_jobs
from pledgebank.pledges.payments import Payments


def payments_context(app: Flask) -> Payments:
    """What money work needs, from the app's settings."""
    return Payments(
        sessions=app.extensions["pledgebank.sessions"],
        gateway=app.extensions["pledgebank.gateway"],
        zone=app.config["TIMEZONE"],
        lease=timedelta(seconds=app.config["PAYMENT_ATTEMPT_LEASE"]),
    )


def run_due(app: Flask) -> Counter[str]:
    """Run everything that is due now (by the app's clock)."""
    now = app.extensions["pledgebank.clock"].now()
    return pledge_jobs.run_due(payments_context(app), now=now)
