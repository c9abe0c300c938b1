"""`run-due`: every piece of time-driven work, idempotent, safe to run every minute and twice at once."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import datetime

from flask import Flask

from pledgebank import logs, metrics
from pledgebank.accounts.erasure import pseudonymise_if_gone
from pledgebank.alerts import jobs as alert_jobs
from pledgebank.dividends import jobs as dividend_jobs
from pledgebank.examiners import jobs as examiner_jobs
from pledgebank.grants import jobs as grant_jobs
from pledgebank.levies import jobs as levy_jobs
from pledgebank.payments.context import Payments, payments_context
from pledgebank.payments.customer_deletion import delete_customers
from pledgebank.payments.refunds import recover_refunds
from pledgebank.pledges import jobs as pledge_jobs
from pledgebank.privacy import enforce as retention
from pledgebank.privacy.retention import RetentionPolicy

# payments_context is imported from here by the features' pages and demo data.
__all__ = ["payments_context", "run_due"]

log = logging.getLogger(__name__)


def run_due(app: Flask) -> Counter[str]:
    """Run everything that is due now (by the app's clock), counting the work done and failed."""
    now = app.extensions["pledgebank.clock"].now()
    ctx = payments_context(app)
    with logs.bound(run_id=uuid.uuid4().hex):
        return _run_due(app, ctx, now)


def _run_due(app: Flask, ctx: Payments, now: datetime) -> Counter[str]:
    try:
        done = pledge_jobs.run_due(ctx, now=now)
        done.update(levy_jobs.run_due(ctx, now=now))
        done.update(recover_refunds(ctx, now=now))
        done.update(grant_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(alert_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(examiner_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(dividend_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(
            retention.run_due(
                ctx.sessions,
                policy=RetentionPolicy.from_config(app.config),
                now=now,
                zone=app.config["TIMEZONE"],
                pseudonymiser=app.extensions.get("pledgebank.pseudonymiser", pseudonymise_if_gone),
            )
        )
        # After retention, which may have pseudonymised people with a Stripe customer.
        done.update(delete_customers(ctx, now=now))
    except Exception:
        metrics.DUE_RUNS.labels(result="failed").inc()
        raise
    metrics.DUE_RUNS.labels(result="completed").inc()
    metrics.count_due(done)
    log.info("due work run", extra={"done": dict(done)})
    return done
