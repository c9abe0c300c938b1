"""A Stripe payout that arrived in a year closed before it was reconciled: `pledgebank reconcile stripe` posts
it on the first open day, saying in its memo when it arrived, and a second run posts nothing more.

The card payments and their balance transactions are the emulator's, read through the real SDK; the emulator
makes no payouts of them, so the payout carrying them to the bank is added beside the emulator's answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from pledgebank.books.closing import close_year
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_by_slug
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.payments.gateway import BalanceTransaction, Payout
from tests.factories.pledges import assert_books_ok, due, make_pledge, neighbourhood_with, pledge_with_card
from tests.helpers.app import with_stripe

ARRIVED = date(2026, 3, 6)
THROUGH = date(2026, 3, 7)


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


class WithPayout:
    """The app's Stripe gateway, answering as well with one payout of every balance transaction it holds."""

    def __init__(self, gateway, payout_id: str, arrival: int) -> None:
        self.gateway, self.payout_id, self.arrival = gateway, payout_id, arrival

    def __getattr__(self, name: str):
        return getattr(self.gateway, name)

    def payouts(self, *, since: int) -> list[Payout]:
        """The one payout: paid, arriving on the day given, for the net of every balance transaction."""
        amount = sum(bt.net for bt in self.gateway.balance_transactions(since=0))
        return [Payout(self.payout_id, amount, "GBP", "paid", self.arrival, self.arrival - 86_400, "txn_po1")]

    def balance_transactions(
        self, *, since: int | None = None, payout_id: str | None = None
    ) -> list[BalanceTransaction]:
        """Those the payout carried, or the emulator's own."""
        return self.gateway.balance_transactions(since=0 if payout_id == self.payout_id else since)


def payout_transactions(app) -> list[tuple[int, date, str, str, dict]]:
    """Each payout in the books: (sequence, effective date, memo, key, source)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        t = LedgerTransaction
        rows = session.execute(
            select(t.sequence, t.effective_date, t.memo, t.idempotency_key, t.source).where(
                t.kind == "payout"
            )
        )
        return [tuple(row) for row in rows]


def test_a_payout_that_arrived_in_a_closed_year_posts_on_the_first_open_day_once(app, sessions, clock):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=1000)
    pledge_with_card(app, pledge, ann)
    pledge_with_card(app, pledge, ben)
    due(app)
    assert due(app, hours=73)["payments captured"] == 2  # 5 March 2026
    arrival = int(datetime(2026, 3, 6, 12, 0, tzinfo=UTC).timestamp())
    app.extensions["pledgebank.gateway"] = WithPayout(app.extensions["pledgebank.gateway"], "po_1", arrival)
    clock.advance(timedelta(days=5))  # 10 March 2026
    with unit_of_work(sessions) as session:
        close_year(
            session, actor_id=chair, book=book_by_slug(session, slug), through=THROUGH, now=clock.now()
        )

    runner = app.test_cli_runner()
    first = runner.invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert first.exit_code == 0, (first.output, first.exception)
    assert "0 missing in ledger, 0 missing in Stripe, 0 amount mismatch" in first.output
    assert (
        f"{slug}: Stripe clearing holds 0.00 GBP; Stripe has 0.00 GBP not yet paid out: agrees"
        in first.output
    )
    [(sequence, day, memo, key, source)] = payout_transactions(app)
    assert (day, key, source) == (THROUGH + timedelta(days=1), "stripe-payout:po_1", {"payout": "po_1"})
    assert memo == f"payout arrived={ARRIVED.isoformat()}"

    verified = runner.invoke(main, ["ledger", "verify"])
    assert verified.exit_code == 0, verified.output
    assert_books_ok(app)

    again = runner.invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert again.exit_code == 0, (again.output, again.exception)
    assert payout_transactions(app) == [(sequence, day, memo, key, source)]

    with unit_of_work(sessions) as session:  # a later close takes in the day the payout was booked on
        later = day + timedelta(days=1)
        close_year(session, actor_id=chair, book=book_by_slug(session, slug), through=later, now=clock.now())
    third = runner.invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert third.exit_code == 0, (third.output, third.exception)
    assert "0 missing in ledger, 0 missing in Stripe, 0 amount mismatch" in third.output
    assert payout_transactions(app) == [(sequence, day, memo, key, source)]
    assert_books_ok(app)
