"""`pledgebank worker`: run queued jobs (and schedule the due work); `pledgebank jobs`: the failed ones."""

from __future__ import annotations

import signal
import threading
from datetime import timedelta
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank.db import unit_of_work
from pledgebank.jobs import DUE_JOB
from pledgebank.tasks import pg_queue, schedule
from pledgebank.tasks.models import Job, JobStatus
from pledgebank.tasks.queue import on_procrastinate
from pledgebank.tasks.worker import retry_by_hand
from pledgebank.web.session import this_app

DUE_SCHEDULE = "run-due"


def schedule_due(app: Flask) -> bool:
    """Queue the due work if it is due (every RUN_DUE_INTERVAL seconds, once however many schedulers)."""
    runner = app.extensions["pledgebank.tasks"]
    if on_procrastinate_app(app):
        return bool(runner.schedule_due())
    return schedule.tick(
        app.extensions["pledgebank.sessions"],
        app.extensions["pledgebank.clock"],
        name=DUE_SCHEDULE,
        kind=DUE_JOB,
        every=timedelta(seconds=app.config["RUN_DUE_INTERVAL"]),
    )


def on_procrastinate_app(app: Flask) -> bool:
    """True when the app's worker is procrastinate's (PostgreSQL with separate workers)."""
    return bool(app.config["TASK_QUEUE"] == "procrastinate")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run every job that is due (scheduling first), then exit.")
@click.option(
    "--schedule/--no-schedule",
    "scheduling",
    default=True,
    show_default=True,
    help="Also queue the due work every RUN_DUE_INTERVAL seconds (safe in every worker at once).",
)
@click.option("--poll", type=click.FloatRange(min=0.05), default=1.0, show_default=True, metavar="SECONDS")
@with_appcontext
def worker(burst: bool, scheduling: bool, poll: float) -> None:
    """Run queued jobs (emails, the due work, card payments) until stopped (SIGTERM or Ctrl+C)."""
    app = this_app()
    runner = app.extensions["pledgebank.tasks"]

    def tick() -> None:
        if scheduling:
            schedule_due(app)

    if burst:
        tick()
        ran = runner.run_until_idle()
        click.echo(f"{ran} jobs run, {runner.failed} of them failed")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("worker started (Ctrl+C or SIGTERM stops it after the job in hand)")
    try:
        if on_procrastinate_app(app):
            runner.run(stop, poll=poll, scheduling=scheduling)  # procrastinate's deferrer ticks
        else:
            runner.run(stop, poll=poll, tick=tick)
    except KeyboardInterrupt:
        stop.set()


@click.group("jobs")
def jobs() -> None:
    """Jobs that failed after their last attempt."""


@jobs.command("failed")
@with_appcontext
def failed() -> None:
    """List the failed jobs, newest first, with their errors."""
    with unit_of_work(this_app().extensions["pledgebank.sessions"]) as session:
        if on_procrastinate(session):
            rows: list[Any] = pg_queue.list_jobs(session, status=JobStatus.DEAD)
        else:
            rows = list(
                session.scalars(
                    select(Job)
                    .where(Job.status == JobStatus.DEAD)
                    .order_by(Job.failed_at.desc(), Job.id.desc())
                )
            )
        if not rows:
            click.echo("no failed jobs")
        for job in rows:
            click.echo(f"{job.id:>8}  {job.kind:<14} {job.attempts} attempts  {job.last_error}")


@jobs.command("retry")
@click.argument("job_id", type=click.IntRange(min=1, max=2**63 - 1))
@with_appcontext
def retry(job_id: int) -> None:
    """Queue a failed job again, with fresh attempts."""
    app = this_app()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        if on_procrastinate(session):
            job: object | None = pg_queue.retry_by_hand(session, job_id) or None
        else:
            job = retry_by_hand(session, job_id, now=app.extensions["pledgebank.clock"].now())
    if job is None:
        raise click.ClickException(f"no failed job {job_id}")
    click.echo(f"job {job_id} queued again")
