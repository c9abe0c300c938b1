"""Helpers shared by several test files."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_by_slug
from pledgebank.db import unit_of_work
from pledgebank.exports.reconcile import StripeActivity, reconcile_stripe
from pledgebank.ledger.money import Money
from pledgebank.payments.emulator import stripe_fee
from pledgebank.payments.gateway import BalanceTransaction
from tests.factories.pledges import quick_user
from tests.helpers.app import make_neighbourhood


def payout_legs(app, slug: str) -> list[tuple[str, int]]:
    """The postings of the book's payout transaction, in order."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_by_slug(session, slug)
        rows = session.execute(
            select(LedgerAccount.code, LedgerPosting.amount)
            .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .where(LedgerTransaction.book_id == book.id, LedgerTransaction.kind == "payout")
            .order_by(LedgerPosting.line)
        )
        return [tuple(row) for row in rows]


NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


DAY = date(2026, 3, 10)


CREATED = int(datetime(2026, 3, 10, 12, 0, tzinfo=UTC).timestamp())


ZONE = "Europe/London"


def gbp(pence: int) -> Money:
    """Pounds sterling in pence."""
    return Money(pence, "GBP")


def charge(n: int, amount: int, fee: int | None = None) -> BalanceTransaction:
    """A card charge's balance transaction, with Stripe's standard fee unless told otherwise."""
    fee = stripe_fee(amount) if fee is None else fee
    return BalanceTransaction(f"txn_c{n}", "charge", f"ch_{n}", amount, fee, amount - fee, "GBP", CREATED)


def refund(n: int, amount: int) -> BalanceTransaction:
    """A refund's balance transaction (Stripe keeps the fee of the charge)."""
    return BalanceTransaction(f"txn_r{n}", "refund", f"re_{n}", -amount, 0, -amount, "GBP", CREATED)


def two_books(sessions) -> tuple[str, str]:
    """Two neighbourhoods, each with its own book (one Stripe account pays out for both)."""
    chair = quick_user(sessions, "chair@example.org", "Chair Person")
    return make_neighbourhood(sessions, chair, name="Elm Park"), make_neighbourhood(
        sessions, chair, name="Oak Hill"
    )


def reconcile(app, activity: StripeActivity, since: date = date(2026, 3, 1)):
    """Run the reconciliation in one unit of work."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return reconcile_stripe(session, activity, since=since, zone=ZONE, now=NOW)
