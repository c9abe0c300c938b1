"""`pledgebank payments refund` and `refunds`: refund a card payment, or list its refunds."""

from __future__ import annotations

import secrets
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.errors import DomainError
from pledgebank.inputs import InputError, parse_money
from pledgebank.payments.context import payments_context
from pledgebank.payments.refund_listing import booked_refunds
from pledgebank.payments.refunds import REASONS, refund_payment, refundable
from pledgebank.web.session import now, this_app, transaction


@click.group("payments")
def payments() -> None:
    """Card payments: refunds through Stripe."""


def _fail(error: DomainError) -> None:
    problems = [f"{name}: {message}" for name, messages in error.fields.items() for message in messages]
    click.echo(f"not refunded: {'; '.join(problems) or error.message}", err=True)
    sys.exit(1)


@payments.command("refund")
@click.argument("payment_intent")
@click.option("--by", "email", required=True, help="Email of the treasurer making the refund.")
@click.option("--amount", help="Like 2.50; without it, all that is left of the payment.")
@click.option("--reason", type=click.Choice(REASONS), default=None, help="Stripe's reason for the refund.")
@click.option(
    "--key", help="A one-time key (16-64 letters, digits, - or _); running again with it refunds once."
)
@with_appcontext
def refund(payment_intent: str, email: str, amount: str | None, reason: str | None, key: str | None) -> None:
    """Refund part or all of a card payment (by its PaymentIntent id) to the card."""
    try:
        with transaction() as session:
            user_id = session.scalar(select(User.id).where(User.email == email.strip().lower()))
            if user_id is None:
                raise click.UsageError(f"there is no user with the email {email!r}")
            currency = refundable(session, payment_intent).currency
        minor = None
        if amount is not None:
            try:
                minor = parse_money(amount, currency, what="--amount")
            except InputError as error:
                raise click.BadParameter(error.message) from None
            if minor is None:
                raise click.BadParameter("give an amount like 2.50, or leave --amount out to refund the rest")
        made = refund_payment(
            payments_context(this_app()),
            actor_id=user_id,
            payment_intent_id=payment_intent,
            amount=minor,
            request_key=key or secrets.token_urlsafe(24),
            now=now(),
            reason=reason,
            key_field="key",
        )
    except DomainError as error:
        _fail(error)
    if made is None:
        click.echo("that refund was already made")
    else:
        click.echo(f"refund {made.id} of {made.amount} minor units: {made.status}")


@payments.command("refunds")
@click.argument("payment_intent")
@with_appcontext
def refunds(payment_intent: str) -> None:
    """List a card payment's refunds as the books hold them, and what is left of it."""
    try:
        with transaction() as session:
            payment = refundable(session, payment_intent)
            found = booked_refunds(session, payment)
    except DomainError as error:
        click.echo(error.message, err=True)
        sys.exit(1)
    for r in found:
        failed = (
            f" (failed {r.failed_on.isoformat()}, transaction {r.failure_sequence})" if r.failed_on else ""
        )
        line = f"{r.id}  {r.on.isoformat()}  {r.amount:>8} {r.currency}  {r.status}{failed}"
        click.echo(f"{line}  transaction {r.transaction_sequence}")
    click.echo(f"{payment.left} of {payment.gross} {payment.currency} left to refund")
