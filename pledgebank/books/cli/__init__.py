"""`pledgebank ledger ...`: checking the books, closing a financial year and the upgrade step that attributes
money posted before funds had their own shares, from the command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank import money_words
from pledgebank.accounts.models import User
from pledgebank.books.closing import close_year, preview_close
from pledgebank.books.legacy import LegacyPlan, attribute_legacy, plan_attribution
from pledgebank.books.models import Book
from pledgebank.books.services import book_by_slug
from pledgebank.books.verify import check_books
from pledgebank.clock import local_date
from pledgebank.documents.storage import app_store
from pledgebank.errors import DomainError
from pledgebank.ledger import chart
from pledgebank.ledger.canonical import to_hex
from pledgebank.web.session import db_session, now, transaction


@click.group()
def ledger() -> None:
    """The audit ledger."""


@ledger.command("verify")
@click.option("--book", "slug", help="Check only the book with this slug (default: every book).")
@with_appcontext
def verify(slug: str | None) -> None:
    """Recompute sums, balances and hash chains, and re-hash every supporting document's file; exit 1 naming
    the first bad sequence number (or document)."""
    checks = check_books(db_session(), slug, documents=app_store(current_app))
    if slug is not None and not checks:
        click.echo(f"no book called {slug!r}", err=True)
        sys.exit(2)
    failed = 0
    for check in checks:
        report = check.report
        summary = (
            f"{check.book.slug}: {report.transactions} transactions, {report.postings} postings, "
            f"head {report.head_sequence} {to_hex(report.head_hash)[:16]}"
        )
        if check.ok:
            click.echo(f"ok    {summary}")
            continue
        failed += 1
        first = check.first_problem
        assert first is not None  # a book that is not ok has a first problem
        where = (
            f"first bad sequence {first.sequence}" if first.sequence is not None else "not tied to a sequence"
        )
        click.echo(f"FAIL  {summary}: {where}: {first.message}")
        for problem in check.problems[1:]:
            click.echo(f"      also: {problem.message}")
    click.echo(f"{len(checks)} book(s) checked, {failed} failed")
    sys.exit(1 if failed else 0)


@ledger.command("close-year")
@click.option("--book", "slug", required=True, help="The book's slug.")
@click.option(
    "--through", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The year's last day."
)
@click.option("--by", "email", required=True, help="Email of the chair or treasurer closing the year.")
@with_appcontext
def close_year_command(slug: str, through, email: str) -> None:
    """Close the books through a date: move each fund's income and expenses into its balance, then lock."""
    day = through.date()
    try:
        with transaction() as session:
            user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
            if user_id is None:
                raise click.UsageError(f"there is no user with the email {email!r}")
            book = book_by_slug(session, slug)
            preview = preview_close(session, book=book, through=day)
            moment = now()
            period = close_year(
                session,
                actor_id=user_id,
                book=book,
                through=day,
                now=moment,
                today=local_date(moment, current_app.config["TIMEZONE"]),
            )
    except DomainError as error:
        click.echo(f"not closed: {error.message}", err=True)
        sys.exit(1)
    for line in preview.funds:
        surplus = money_words.plain(line.surplus, preview.currency)
        click.echo(f"{line.slug}: {surplus} {preview.currency} moved to its fund balance")
    posted = (
        "no closing transaction (nothing to move)" if period.transaction_id is None else "closing transaction"
    )
    click.echo(f"closed {slug} through {day.isoformat()}: {posted}")


@ledger.command("attribute-legacy")
@click.option("--book", "slug", help="Only the book with this slug (default: every book).")
@click.option("--dry-run", is_flag=True, help="Show what would be moved and post nothing.")
@with_appcontext
def attribute_legacy_command(slug: str | None, dry_run: bool) -> None:
    """Move money posted before funds had their own shares into them; a second run posts nothing."""
    session = db_session()
    slugs = [slug] if slug else list(session.scalars(select(Book.slug).order_by(Book.slug)))
    session.rollback()
    failed = 0
    for one in slugs:
        try:
            with transaction() as session:
                book = book_by_slug(session, one)
                if dry_run:
                    plan, outcome = plan_attribution(session, book), "would post (dry run)"
                    outcome = outcome if plan.moves else "nothing to move"
                else:
                    moment = now()
                    today = local_date(moment, current_app.config["TIMEZONE"])
                    plan, posted = attribute_legacy(session, book=book, today=today, now=moment)
                    outcome = f"posted #{posted.transaction.sequence}" if posted else "nothing to move"
        except DomainError as error:
            click.echo(f"{one}: not moved: {error.message}", err=True)
            failed += 1
            continue
        _show_plan(plan, outcome)
    sys.exit(1 if failed else 0)


def _show_plan(plan: LegacyPlan, outcome: str) -> None:
    ways = plan.counts()
    click.echo(
        f"{plan.book}: {len(plan.transactions)} transaction(s) through #{plan.through} posted to book-level "
        f"accounts: {ways['legs']} by their fund's own legs, {ways['source']} by the pledge, levy or grant "
        f"they came from, {ways['shares']} by the funds' shares of the place the money left, "
        f"{ways['general']} to the general fund by default"
    )
    for (place, fund), amount in plan.moves.items():
        money = f"{money_words.plain(amount, plan.currency)} {plan.currency}"
        click.echo(f"  {place} -> {chart.held_in(place, fund)}  {money}")
    if plan.defaulted:
        listed = ", ".join(f"#{sequence}" for sequence in plan.defaulted)
        click.echo(f"  named no fund, so the general fund's: {listed}")
    click.echo(f"  {outcome}")
