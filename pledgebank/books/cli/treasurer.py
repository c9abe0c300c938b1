"""`pledgebank ledger record ...`: a treasurer entry from the command line, for scripts and imports."""

from __future__ import annotations

import secrets
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.books import treasurer
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.treasurer_checks import ENTRY_KINDS, PLACES, EntryTerms
from pledgebank.clock import local_date
from pledgebank.errors import DomainError
from pledgebank.inputs import InputError, parse_money
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.web.session import now, transaction


def _money(text: str | None, currency: str, what: str) -> int | None:
    if text is None:
        return None
    try:
        return parse_money(text, currency, what=what, allow_zero=True)
    except InputError as error:
        raise click.BadParameter(error.message) from None


@click.command("record")
@click.argument("kind", type=click.Choice(list(ENTRY_KINDS)))
@click.option("--neighbourhood", "slug", required=True, help="The neighbourhood's slug.")
@click.option("--by", "email", required=True, help="Email of the treasurer or chair recording it.")
@click.option(
    "--on", "on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The day it moved."
)
@click.option("--description", required=True, help="What this was, in a few words.")
@click.option("--amount", help="Like 12.50 (for opening balances: what the bank held).")
@click.option("--cash", "cash", help="Opening balances only: cash held, like 30.00.")
@click.option("--fund", default="general", show_default=True, help="The fund's slug.")
@click.option("--place", type=click.Choice(list(PLACES)), default=None, help="Bank or cash.")
@click.option("--donor", default="", help="Donations: who gave (not shown publicly).")
@click.option("--payee", default="", help="Supplier payments: who was paid.")
@click.option("--purpose", default="", help="Supplier payments: what for.")
@click.option("--category", default=None, help="Supplier payments: the category's slug, like repairs.")
@click.option(
    "--for-fund-purpose", is_flag=True, help="A restricted fund's payment serves its stated purpose."
)
@click.option(
    "--transaction", "sequence", type=click.IntRange(1), help="Corrections: the sequence to reverse."
)
@click.option(
    "--key", help="A one-time key (16-64 letters, digits, - or _); running again with it records once."
)
@with_appcontext
def record(kind: str, slug: str, email: str, on, description: str, **options) -> None:
    """Record a treasurer entry: donation, cash_banked, supplier_payment, bank_charges, bank_interest,
    opening_balance or correction."""
    currency = "GBP"
    try:
        with transaction() as session:
            user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
            if user_id is None:
                raise click.UsageError(f"there is no user with the email {email!r}")
            neighbourhood = get_neighbourhood(session, slug)
            currency = neighbourhood.currency
            terms = EntryTerms(
                kind=kind,
                on=on.date(),
                description=description,
                amount=_money(options["amount"], currency, "--amount")
                if options["amount"] is not None or kind != "opening_balance"
                else 0,
                cash_amount=_money(options["cash"], currency, "--cash"),
                fund=options["fund"],
                place=options["place"] or "",
                donor=options["donor"],
                payee=options["payee"],
                purpose=options["purpose"],
                category=options["category"] or "",
                for_fund_purpose=options["for_fund_purpose"],
                transaction=options["sequence"],
            )
            moment = now()
            entry = treasurer.record_entry(
                session,
                actor_id=user_id,
                neighbourhood_id=neighbourhood.id,
                terms=terms,
                form_key=options["key"] or secrets.token_urlsafe(24),
                threshold=current_app.config["GRANT_SECOND_APPROVAL_ABOVE"],
                now=moment,
                today=local_date(moment, current_app.config["TIMEZONE"]),
            )
            posted = session.get(LedgerTransaction, entry.transaction_id) if entry.transaction_id else None
    except DomainError as error:
        problems = [f"{name}: {message}" for name, messages in error.fields.items() for message in messages]
        click.echo(f"not recorded: {'; '.join(problems) or error.message}", err=True)
        sys.exit(1)
    if posted is None:
        click.echo(f"entry {entry.id} recorded; it waits for a second committee member to approve it")
    else:
        click.echo(f"entry {entry.id} recorded as transaction {posted.sequence}")


@click.command("approve")
@click.argument("entry_id", type=click.IntRange(1))
@click.option("--as", "email", required=True, help="Email of the committee member or chair approving it.")
@with_appcontext
def approve(entry_id: int, email: str) -> None:
    """Approve a supplier payment above the threshold, as a second committee member; it is then posted."""
    try:
        with transaction() as session:
            user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
            if user_id is None:
                raise click.UsageError(f"there is no user with the email {email!r}")
            entry = treasurer.approve_entry(session, actor_id=user_id, entry_id=entry_id, now=now())
            posted = session.get_one(LedgerTransaction, entry.transaction_id)
    except DomainError as error:
        problems = [f"{name}: {message}" for name, messages in error.fields.items() for message in messages]
        click.echo(f"not approved: {'; '.join(problems) or error.message}", err=True)
        sys.exit(1)
    click.echo(f"entry {entry.id} approved and recorded as transaction {posted.sequence}")
