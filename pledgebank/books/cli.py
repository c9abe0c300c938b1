"""`pledgebank ledger ...`: checking the books from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from pledgebank.books.verify import check_books
from pledgebank.ledger.canonical import to_hex
from pledgebank.web.session import db_session


@click.group()
def ledger() -> None:
    """The audit ledger."""


@ledger.command("verify")
@click.option("--book", "slug", help="Check only the book with this slug (default: every book).")
@with_appcontext
def verify(slug: str | None) -> None:
    """Recompute sums, balances and hash chains; exit 1 naming the first bad sequence number."""
    checks = check_books(db_session(), slug)
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
        where = (
            f"first bad sequence {first.sequence}" if first.sequence is not None else "not tied to a sequence"
        )
        click.echo(f"FAIL  {summary}: {where}: {first.message}")
        for problem in check.problems[1:]:
            click.echo(f"      also: {problem.message}")
    click.echo(f"{len(checks)} book(s) checked, {failed} failed")
    sys.exit(1 if failed else 0)
