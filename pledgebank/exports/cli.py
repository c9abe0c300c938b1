"""`pledgebank export`, `pledgebank verify-export` and `pledgebank reconcile stripe`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank.books.models import Book
from pledgebank.db import unit_of_work
from pledgebank.errors import DomainError
from pledgebank.exports import formats
from pledgebank.exports.exportfiles import UnreadableExport
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.naming import major
from pledgebank.exports.reader import Filters
from pledgebank.exports.reconcile import Report, Status, fetch_activity, reconcile_stripe, verdict_lines
from pledgebank.exports.verify_export import verify_extension
from pledgebank.payments.gateway import GatewayUnavailable, PaymentRefused

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _book(session, slug: str | None) -> Book:
    if slug is not None:
        book = session.scalar(select(Book).where(Book.slug == slug))
        if book is None:
            raise click.UsageError(f"there is no book called {slug!r}")
        return book
    books = list(session.scalars(select(Book).order_by(Book.slug)))
    if len(books) != 1:
        names = ", ".join(book.slug for book in books) or "none"
        raise click.UsageError(f"there are {len(books)} books ({names}): choose one with --book SLUG")
    return books[0]


def _write(chunks: Iterable[str], output: Path | None) -> None:
    if output is None:
        stream = sys.stdout.buffer
        for chunk in chunks:
            stream.write(chunk.encode("utf-8"))
        stream.flush()
        return
    with output.open("w", encoding="utf-8", newline="") as file:
        for chunk in chunks:
            file.write(chunk)


def _progress(stack: ExitStack, total: int, label: str) -> Callable[[int], None] | None:
    """A progress bar on standard error when it is a terminal (closed with the stack)."""
    if not sys.stderr.isatty() or total == 0:
        return None
    return stack.enter_context(click.progressbar(length=total, label=label, file=sys.stderr)).update


@click.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(formats.names()))
@click.option("--book", "slug", help="The book's slug; may be left out when there is only one book.")
@click.option("--fund", help="Only transactions touching this fund (each with all its postings).")
@click.option("--from", "date_from", type=DATE, help="First effective date (YYYY-MM-DD).")
@click.option("--to", "date_to", type=DATE, help="Last effective date (YYYY-MM-DD).")
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout)."
)
@with_appcontext
def export(
    fmt: str,
    slug: str | None,
    fund: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    output: Path | None,
) -> None:
    """Export a book's transactions (or its awarded grants) in the chosen format."""
    sessions = current_app.extensions["pledgebank.sessions"]
    now = current_app.extensions["pledgebank.clock"].now()
    try:
        with unit_of_work(sessions) as session:
            book = _book(session, slug)
            filters = Filters(
                fund, date_from.date() if date_from else None, date_to.date() if date_to else None
            )
            request = ExportRequest(
                book,
                filters,
                now,
                zone=current_app.config["TIMEZONE"],
                grants_prefix=current_app.config["GRANTS_360_PREFIX"],
                base_url=current_app.config["BASE_URL"],
            )
            download = formats.open_export(session, fmt, request)
            with ExitStack() as stack:
                download.progress = _progress(stack, download.total, f"Exporting {book.slug}")
                _write(download.chunks, output)
            click.echo(download.summary, err=True)
    except DomainError as error:
        click.echo(f"pledgebank export: {error.message}", err=True)
        sys.exit(2)


@click.command("verify-export")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_export(old: Path, new: Path) -> None:
    """Prove that export NEW extends export OLD: exit 0 if it does, 1 if not, 2 if a file is unreadable."""
    try:
        verdict = verify_extension(formats.read_export(old), formats.read_export(new))
    except UnreadableExport as error:
        click.echo(f"pledgebank verify-export: {error}", err=True)
        sys.exit(2)
    if not verdict.extends:
        click.echo(f"NEW does not extend OLD: {verdict.problems[0]}")
        sys.exit(1)
    o, n = verdict.old, verdict.new
    old_head, new_head = (chain.head.hex() if chain.head else "-" for chain in (o, n))
    click.echo(
        f"NEW extends OLD: OLD covers sequences {o.first} to {o.last} (head {old_head}), "
        f"NEW covers {n.first} to {n.last} (head {new_head}); "
        f"{verdict.compared} of OLD's hashes found unchanged in NEW, and NEW re-hashes from its own content"
    )


@click.group()
def reconcile() -> None:
    """Reconcile the books with the payment processor."""


def _money(amount: int | None, currency: str) -> str:
    return "-" if amount is None else f"{major(amount, currency)} {currency}"


def print_report(report: Report) -> None:
    """Print a reconciliation report: payouts, then every line, then the totals and the clearing accounts."""
    for outcome in report.payouts:
        payout = outcome.payout
        posted = ", ".join(f"{book} #{sequence}" for book, sequence in sorted(outcome.posted.items()))
        state = "reconciled" if outcome.reconciled else "NOT reconciled"
        where = f"; posted to {posted}" if posted else ""
        click.echo(
            f"payout {payout.id} {_money(payout.amount, payout.currency)} {payout.status}: {state}{where}"
        )
    for line in report.lines:
        where = ", ".join(f"{place.book} #{place.sequence}" for place in line.places) or "-"
        click.echo(
            f"  {line.status.value:<18} {line.stripe_type:<22} {line.stripe_id or '-':<28} "
            f"{line.source_id or '-':<28} stripe {_money(line.stripe_net, line.currency):>14} "
            f"ledger {_money(line.ledger_net, line.currency):>14}"
            f"  {where}"
        )
    counts = ", ".join(f"{report.count(status)} {status.value}" for status in Status)
    click.echo(f"since {report.since.isoformat()}: {counts}")
    for verdict in verdict_lines(report):
        click.echo(verdict)


def terminal_words(error: GatewayUnavailable | PaymentRefused) -> str:
    """A Stripe error as a terminal's user can act on it (the web's words speak of pages)."""
    if isinstance(error, GatewayUnavailable):
        return (
            f"could not reach Stripe ({error.message}); check the network and STRIPE_API_BASE, "
            "then run the command again"
        )
    code = f" ({error.stripe_code})" if error.stripe_code else ""
    return (
        f"Stripe refused the request{code}; check STRIPE_SECRET_KEY and STRIPE_API_BASE, "
        "then run the command again"
    )


@reconcile.command("stripe")
@click.option("--since", required=True, type=DATE, help="Reconcile activity from this date (YYYY-MM-DD).")
@click.option("--post/--no-post", "post_payouts", default=True, help="Post the payouts that reconcile.")
@with_appcontext
def reconcile_stripe_command(since: datetime, post_payouts: bool) -> None:
    """Match Stripe's payouts and balance transactions to the books; exit 1 if anything does not match."""
    zone = current_app.config["TIMEZONE"]
    try:
        activity = fetch_activity(current_app.extensions["pledgebank.gateway"], since=since.date(), zone=zone)
    except (GatewayUnavailable, PaymentRefused) as error:
        click.echo(f"pledgebank reconcile stripe: {terminal_words(error)}", err=True)
        sys.exit(2)
    now = current_app.extensions["pledgebank.clock"].now()
    with unit_of_work(current_app.extensions["pledgebank.sessions"]) as session:
        report = reconcile_stripe(
            session, activity, since=since.date(), zone=zone, now=now, post_payouts=post_payouts
        )
    print_report(report)
    sys.exit(0 if report.ok else 1)
