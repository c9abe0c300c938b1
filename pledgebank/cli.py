"""The `pledgebank` command: database migrations, the demo, and the ledger's checks."""

from __future__ import annotations

import logging
import sys
import threading

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from pledgebank import create_app, migrate
from pledgebank.config import ConfigError
from pledgebank.web.session import this_app

log = logging.getLogger(__name__)


def _create_app():
    try:
        return create_app()
    except ConfigError as error:
        click.echo(f"pledgebank: {error}", err=True)
        sys.exit(1)


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """PledgeBank: neighbourhoods pooling money on an audited ledger."""


@main.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database up to a revision."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@db.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to a revision ("base" empties it)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@main.command("run-due")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Keep running, doing the due work every SECONDS (one long-lived process, counted in /metrics).",
)
@click.option("--times", type=click.IntRange(min=1), default=None, hidden=True)
@with_appcontext
def run_due_command(every: int | None, times: int | None) -> None:
    """Do all time-driven work that is due (pledge deadlines and captures, levy charges); safe to repeat."""
    from pledgebank.jobs import run_due

    app = this_app()
    if every is None:
        _report(run_due(app))
        return
    stop = threading.Event()
    runs = 0
    while not stop.is_set():
        try:
            _report(run_due(app))
        except Exception:
            # Counted as a failed run; the next run tries again, as cron would.
            log.exception("run-due failed")
        runs += 1
        if times is not None and runs >= times:
            break
        stop.wait(every)


def _report(done) -> None:
    if not done:
        click.echo("nothing was due")
    for what, count in sorted(done.items()):
        click.echo(f"{count:>6}  {what}")


def register_commands() -> None:
    """Attach the commands that live beside their features."""
    from pledgebank.backups.cli import backup, restore
    from pledgebank.books.cli import ledger
    from pledgebank.books.cli.fund_transfers import transfer
    from pledgebank.books.cli.treasurer import approve, record
    from pledgebank.demo import demo
    from pledgebank.documents.cli import documents
    from pledgebank.exports.cli import export, reconcile, verify_export
    from pledgebank.payments.cli import payments
    from pledgebank.statements.cli import statements
    from pledgebank.tasks.cli import jobs, worker

    ledger.add_command(record)
    ledger.add_command(approve)
    ledger.add_command(transfer)
    main.add_command(ledger)
    main.add_command(demo)
    main.add_command(export)
    main.add_command(verify_export)
    main.add_command(reconcile)
    main.add_command(payments)
    main.add_command(statements)
    main.add_command(backup)
    main.add_command(restore)
    main.add_command(documents)
    main.add_command(worker)
    main.add_command(jobs)


register_commands()
