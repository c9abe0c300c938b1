"""`pledgebank statements import` and `pledgebank statements reconcile`: bank statements from a script."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.books.services import book_of
from pledgebank.errors import DomainError
from pledgebank.inputs import InputError, parse_money
from pledgebank.money_words import plain
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.statements import imports, reconciling
from pledgebank.statements.csv_parser import DATE_FORMATS, Layout
from pledgebank.statements.parsed import MAX_BYTES
from pledgebank.web.session import now, transaction


@click.group()
def statements() -> None:
    """Import bank statements and reconcile the bank."""


def _user(session, email: str) -> int:
    found = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if found is None:
        raise click.UsageError(f"there is no user with the email {email!r}")
    return found


def _fail(command: str, error: DomainError) -> None:
    details = [f"{name}: {message}" for name, messages in error.fields.items() for message in messages]
    click.echo(f"pledgebank statements {command}: {'; '.join(details) or error.message}", err=True)
    sys.exit(1)


@statements.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--neighbourhood", "slug", required=True, help="The neighbourhood's slug.")
@click.option("--by", "email", required=True, help="Email of the treasurer or chair uploading it.")
@click.option("--bank", default="", help="CSV: the bank's name; its mapping is saved under it.")
@click.option("--date-column", default="Date", show_default=True, help="CSV: the date column's heading.")
@click.option("--date-format", type=click.Choice(list(DATE_FORMATS)), default="%d/%m/%Y", show_default=True)
@click.option("--description-column", default="Description", show_default=True)
@click.option("--amount-column", default="", help="CSV: one signed amount column...")
@click.option("--paid-in-column", default="", help="...or a paid-in column and a paid-out column.")
@click.option("--paid-out-column", default="")
@click.option("--reference-column", default="")
@click.option("--balance-column", default="")
@with_appcontext
def import_statement(path: Path, slug: str, email: str, bank: str, **columns: str) -> None:
    """Store a statement's new lines (CSV, OFX/QFX or CAMT.053); exit 1, storing nothing, if it is refused."""
    if path.stat().st_size > MAX_BYTES:
        click.echo(f"pledgebank statements import: {path} is larger than {MAX_BYTES:,} bytes", err=True)
        sys.exit(1)
    data = path.read_bytes()
    try:
        with transaction() as session:
            place = get_neighbourhood(session, slug)
            layout = Layout(**columns) if imports.sniff(data) == "csv" else None
            statement = imports.upload(
                session,
                actor_id=_user(session, email),
                neighbourhood_id=place.id,
                filename=path.name,
                data=data,
                now=now(),
                bank=bank or "Command line",
                layout=layout,
            ).statement
            click.echo(f"read {statement.lines_read} lines from {path.name}: {statement.lines_added} new")
    except DomainError as error:
        _fail("import", error)


def _show(found: reconciling.Position, currency: str) -> None:
    def money(amount: int | None) -> str:
        return "unknown" if amount is None else f"{plain(amount, currency)} {currency}"

    click.echo(f"statement balance {money(found.statement_balance)}; books {money(found.ledger_balance)}")
    for line in found.lines:
        click.echo(f"  on the statement only: {line.booked_on} {line.description} {money(line.amount)}")
    for m in found.movements:
        click.echo(f"  in the books only: {m.effective_date} transaction {m.sequence} {money(m.amount)}")
    click.echo(f"difference nothing listed explains: {money(found.difference)}")


@statements.command("reconcile")
@click.option("--neighbourhood", "slug", required=True, help="The neighbourhood's slug.")
@click.option("--by", "email", required=True, help="Email of the treasurer or chair.")
@click.option("--on", "on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Statement date.")
@click.option("--balance", default=None, help="The statement's balance, like 1225.87 (else from its lines).")
@with_appcontext
def reconcile_bank(slug: str, email: str, on, balance: str | None) -> None:
    """Show the bank against the books at a date and save the reconciliation; exit 1 if they do not agree."""
    try:
        with transaction() as session:
            place = get_neighbourhood(session, slug)
            try:
                given = parse_money(balance, place.currency, what="--balance", allow_zero=True)
            except InputError as error:
                raise click.BadParameter(error.message) from None
            book = book_of(session, place.id)
            found = reconciling.position(session, book, on.date(), given)
            _show(found, book.currency)
            reconciling.reconcile(
                session,
                actor_id=_user(session, email),
                neighbourhood_id=place.id,
                on=on.date(),
                now=now(),
                given=given,
            )
            click.echo(f"reconciled at {on.date().isoformat()}")
    except DomainError as error:
        _fail("reconcile", error)
