"""`pledgebank ledger transfer ...`: propose, approve, decline and list transfers between funds."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.accounts.models import User
from pledgebank.books import fund_transfers
from pledgebank.books.fund_transfer_checks import BASIS_LABELS, PLACES, TransferTerms
from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.clock import local_date
from pledgebank.errors import DomainError
from pledgebank.inputs import InputError, parse_money
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.session import now, transaction


@click.group("transfer")
def transfer() -> None:
    """Transfers between funds: one officer proposes, a second approves (one of the two the chair)."""


def _user(session: Session, email: str) -> int:
    user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
    if user_id is None:
        raise click.UsageError(f"there is no user with the email {email!r}")
    return user_id


def _run(work: Callable[[Session], str]) -> None:
    """Run one unit of work; print its line, or what was refused (exit status 1)."""
    try:
        with transaction() as session:
            line = work(session)
    except DomainError as error:
        problems = [f"{name}: {message}" for name, messages in error.fields.items() for message in messages]
        click.echo(f"refused: {'; '.join(problems) or error.message}", err=True)
        sys.exit(1)
    click.echo(line)


_OPTIONS = [
    click.option("--neighbourhood", "slug", required=True, help="The neighbourhood's slug."),
    click.option("--by", "email", required=True, help="Email of the chair or committee member acting."),
]


def _common(command):
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


@transfer.command("propose")
@_common
@click.option("--from", "from_fund", required=True, help="Slug of the fund the money leaves.")
@click.option("--to", "to_fund", required=True, help="Slug of the fund the money joins.")
@click.option("--amount", required=True, help="Like 120.00.")
@click.option("--place", type=click.Choice(list(PLACES)), default="bank", show_default=True)
@click.option("--reason", required=True, help="Why the money moves.")
@click.option("--basis", type=click.Choice(list(BASIS_LABELS)), default=None, help="Restricted funds only.")
@click.option("--basis-note", default="", help="Restricted funds only: the evidence for the basis.")
@click.option("--key", help="A one-time key (16-64 letters, digits, - or _); running again proposes once.")
@with_appcontext
def propose(slug: str, email: str, amount: str, **options) -> None:
    """Propose a transfer; it posts when a second officer approves it."""

    def work(session: Session) -> str:
        neighbourhood = get_neighbourhood(session, slug)
        try:
            minor = parse_money(amount, neighbourhood.currency, what="--amount")
        except InputError as error:
            raise click.BadParameter(error.message) from None
        found = fund_transfers.propose_transfer(
            session,
            actor_id=_user(session, email),
            neighbourhood_id=neighbourhood.id,
            terms=TransferTerms(
                from_fund=options["from_fund"],
                to_fund=options["to_fund"],
                amount=minor,
                place=options["place"],
                reason=options["reason"],
                basis=options["basis"] or "",
                basis_note=options["basis_note"],
            ),
            form_key=options["key"] or secrets.token_urlsafe(24),
            now=now(),
        )
        return f"transfer {found.id} proposed; it waits for a second officer to approve it"

    _run(work)


@transfer.command("approve")
@_common
@click.argument("transfer_id", type=click.IntRange(1))
@with_appcontext
def approve(slug: str, email: str, transfer_id: int) -> None:
    """Approve a transfer someone else proposed; it posts to the ledger."""

    def work(session: Session) -> str:
        moment = now()
        done = fund_transfers.approve_transfer(
            session,
            actor_id=_user(session, email),
            neighbourhood_id=get_neighbourhood(session, slug).id,
            transfer_id=transfer_id,
            now=moment,
            today=local_date(moment, current_app.config["TIMEZONE"]),
        )
        sequence = session.get_one(LedgerTransaction, done.transaction_id).sequence
        return f"transfer {done.id} approved and recorded as transaction {sequence}"

    _run(work)


@transfer.command("decline")
@_common
@click.argument("transfer_id", type=click.IntRange(1))
@with_appcontext
def decline(slug: str, email: str, transfer_id: int) -> None:
    """Decline a transfer (or withdraw your own)."""

    def work(session: Session) -> str:
        done = fund_transfers.decline_transfer(
            session,
            actor_id=_user(session, email),
            neighbourhood_id=get_neighbourhood(session, slug).id,
            transfer_id=transfer_id,
            now=now(),
        )
        return f"transfer {done.id} {done.status}"

    _run(work)


@transfer.command("list")
@_common
@with_appcontext
def list_transfers(slug: str, email: str) -> None:
    """The latest transfers, newest first."""

    def work(session: Session) -> str:
        neighbourhood = get_neighbourhood(session, slug)
        require(session, _user(session, email), neighbourhood.id, Action.VIEW_LEDGER)
        rows: list[FundTransfer] = fund_transfers.recent(session, book_of(session, neighbourhood.id), 100)
        return (
            "\n".join(
                f"{t.id}\t{t.status}\t{t.from_fund.slug} -> {t.to_fund.slug}\t"
                f"{money_words.full(t.amount, neighbourhood.currency)}\t{t.reason}"
                for t in rows
            )
            or "no transfers"
        )

    _run(work)
