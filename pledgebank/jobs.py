"""`run-due`: every piece of time-driven work, idempotent, safe to run every minute and twice at once; and
the queue's jobs (`job_handlers`): emails, the scheduled run of the due work, and each pledger's or
household's card payment, which the scheduled run fans out so that several workers share the work."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import logs, metrics
from pledgebank.accounts.erasure import pseudonymise_if_gone
from pledgebank.alerts import jobs as alert_jobs
from pledgebank.db import unit_of_work
from pledgebank.dividends import jobs as dividend_jobs
from pledgebank.examiners import jobs as examiner_jobs
from pledgebank.grants import jobs as grant_jobs
from pledgebank.levies import jobs as levy_jobs
from pledgebank.levies.models import Levy, LevyCharge
from pledgebank.outbox import EMAIL_JOB, Email, deliver, email_from
from pledgebank.payments.context import Payments, payments_context
from pledgebank.payments.customer_deletion import delete_customers
from pledgebank.payments.refunds import recover_refunds
from pledgebank.pledges import jobs as pledge_jobs
from pledgebank.pledges import telling
from pledgebank.pledges.card_work import do_step, job_key
from pledgebank.pledges.models import Pledge
from pledgebank.privacy import enforce as retention
from pledgebank.privacy.retention import RetentionPolicy
from pledgebank.sms import jobs as sms_jobs
from pledgebank.sms.outgoing import SMS_JOB
from pledgebank.tasks.queue import enqueue
from pledgebank.tasks.worker import Attempt, Handler
from pledgebank.web import mailer, texting

# payments_context is imported from here by the features' pages and demo data.
__all__ = ["payments_context", "run_due"]

log = logging.getLogger(__name__)


DUE_JOB = "run-due"
PLEDGE_CARD_JOB = "pledge-card"
LEVY_CARD_JOB = "levy-card"
QUEUE_BATCH = 500  # jobs queued a transaction when the due work fans out


def run_due(app: Flask) -> Counter[str]:
    """Run everything that is due now (by the app's clock), counting the work done and failed."""
    now = app.extensions["pledgebank.clock"].now()
    ctx = payments_context(app)
    with logs.bound(run_id=uuid.uuid4().hex):
        return _run_due(app, ctx, now)


def queue_due(app: Flask) -> Counter[str]:
    """The scheduled run on the task queue: everything `run_due` does, except that each pledger's and each
    household's card payment is queued as its own job (keyed, so queued once however often it is asked)."""
    now = app.extensions["pledgebank.clock"].now()
    ctx = payments_context(app)
    jobs: list[tuple[str, dict[str, Any], str, int]] = []

    def pledge_step(step: str, signup_id: int, pledge_id: int) -> None:
        payload = {"step": step, "signup": signup_id}
        jobs.append((PLEDGE_CARD_JOB, payload, job_key(step, signup_id, pledge_id), pledge_id))

    def levy_charge(charge_id: int) -> None:
        jobs.append((LEVY_CARD_JOB, {"charge": charge_id}, f"levy-charge:{charge_id}:collect", charge_id))

    with logs.bound(run_id=uuid.uuid4().hex):
        done = _run_due(app, ctx, now, pledge_step, levy_charge, queued=jobs)
    return done


def _queue_all(app: Flask, jobs: list[tuple[str, dict[str, Any], str, int]]) -> None:
    """Queue the fanned-out jobs, a batch a transaction, each under its neighbourhood (for the failed-jobs
    page): the last item of each is its pledge's or levy charge's id."""
    sessions = app.extensions["pledgebank.sessions"]
    for start in range(0, len(jobs), QUEUE_BATCH):
        batch = jobs[start : start + QUEUE_BATCH]
        with unit_of_work(sessions) as session:
            places = {
                PLEDGE_CARD_JOB: _places(session, Pledge.id, Pledge.neighbourhood_id, PLEDGE_CARD_JOB, batch),
                LEVY_CARD_JOB: _places(session, LevyCharge.id, Levy.neighbourhood_id, LEVY_CARD_JOB, batch),
            }
            for kind, payload, key, owner in batch:
                enqueue(session, kind, payload, key=key, neighbourhood_id=places[kind].get(owner))


def _places(session: Session, id_column: Any, place_column: Any, kind: str, batch: list) -> dict[int, int]:
    ids = [owner for job_kind, _payload, _key, owner in batch if job_kind == kind]
    if not ids:
        return {}
    statement = select(id_column, place_column).where(id_column.in_(ids))
    if kind == LEVY_CARD_JOB:
        statement = statement.join(Levy, Levy.id == LevyCharge.levy_id)
    return {owner: place for owner, place in session.execute(statement)}


def job_handlers(app: Flask) -> dict[str, Handler]:
    """Every kind of queued job and what runs it."""

    def send_email(payload: dict[str, Any], attempt: Attempt) -> None:
        def send(email: Email) -> None:
            with app.app_context():
                retry = attempt.number > 1
                mailer.send_email(email, message_id=payload["message_id"], retry=retry)

        deliver(send, email_from(payload))

    def due(payload: dict[str, Any], attempt: Attempt) -> None:
        queue_due(app)

    def pledge_card(payload: dict[str, Any], attempt: Attempt) -> None:
        now = app.extensions["pledgebank.clock"].now()
        do_step(payments_context(app), payload["step"], payload["signup"], now=now)

    def levy_card(payload: dict[str, Any], attempt: Attempt) -> None:
        now = app.extensions["pledgebank.clock"].now()
        levy_jobs.collect_job(payments_context(app), payload["charge"], now=now)

    def send_text(payload: dict[str, Any], attempt: Attempt) -> None:
        with app.app_context():
            texting.send_text(payload)

    def tell_pledgers(payload: dict[str, Any], attempt: Attempt) -> None:
        now = app.extensions["pledgebank.clock"].now()
        telling.tell_all(app.extensions["pledgebank.sessions"], payload, now=now)

    return {
        EMAIL_JOB: send_email,
        DUE_JOB: due,
        PLEDGE_CARD_JOB: pledge_card,
        LEVY_CARD_JOB: levy_card,
        SMS_JOB: send_text,
        telling.TELL_JOB: tell_pledgers,
    }


def _run_due(
    app: Flask,
    ctx: Payments,
    now: datetime,
    pledge_step: Callable[[str, int, int], None] | None = None,
    levy_charge: Callable[[int], None] | None = None,
    *,
    queued: list | None = None,
) -> Counter[str]:
    try:
        done = pledge_jobs.run_due(ctx, now=now, defer=pledge_step)
        done.update(levy_jobs.run_due(ctx, now=now, defer=levy_charge))
        if queued:
            _queue_all(app, queued)
        done.update(recover_refunds(ctx, now=now))
        done.update(grant_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(alert_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(examiner_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(dividend_jobs.run_due(ctx.sessions, now=now, zone=app.config["TIMEZONE"]))
        done.update(
            sms_jobs.run_due(
                ctx.sessions,
                now=now,
                base_url=app.config["BASE_URL"],
                keep_unconfirmed_days=app.config["RETAIN_UNVERIFIED_ACCOUNTS_DAYS"],
            )
        )
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
