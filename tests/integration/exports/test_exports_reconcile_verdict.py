"""The Stripe reconciliation's verdict counts the items left unmatched: a book's clearing account may hold
exactly what Stripe has not paid out while a refund Stripe made is missing from the books, and that is not
agreement. A Stripe error on the command line is answered in a terminal's words."""

from __future__ import annotations

from pledgebank.books.services import book_by_slug, post
from pledgebank.db import unit_of_work
from pledgebank.exports.reconcile import StripeActivity, verdict_lines
from pledgebank.ledger import rules
from pledgebank.payments.emulator import stripe_fee
from tests.factories.pledges import assert_books_ok
from tests.helpers.reconcile import DAY, NOW, charge, gbp, reconcile, refund, two_books


def _card(sessions, slug: str, n: int, amount: int) -> None:
    with unit_of_work(sessions) as session:
        entry = rules.card_payment_received(
            gross=gbp(amount),
            fee=gbp(stripe_fee(amount)),
            fund="general",
            income_source="pledges",
            key=f"card:{n}",
            on=DAY,
            source={"payment_intent": f"pi_{n}", "charge": f"ch_{n}", "balance_transaction": f"txn_c{n}"},
        )
        post(session, book=book_by_slug(session, slug), entry=entry, now=NOW)


def test_an_unmatched_refund_means_the_clearing_does_not_agree(app, sessions):
    elm, _oak = two_books(sessions)
    _card(sessions, elm, 1, 2_000)
    report = reconcile(app, StripeActivity([], [charge(1, 2_000), refund(7, 500)]))

    assert report.clearing[elm] == (charge(1, 2_000).net, "GBP")
    assert report.unpaid[elm] == charge(1, 2_000).net
    lines = verdict_lines(report)
    assert not any(line.endswith(": agrees") for line in lines), lines
    assert any(elm in line and "1 item unmatched" in line for line in lines), lines
    assert lines[-1] == "NOT reconciled: 1 item unmatched"
    assert not report.ok
    assert_books_ok(app)


def test_everything_matched_agrees(app, sessions):
    elm, _oak = two_books(sessions)
    _card(sessions, elm, 1, 2_000)
    report = reconcile(app, StripeActivity([], [charge(1, 2_000)]))
    lines = verdict_lines(report)
    assert lines[0].startswith(f"{elm}: Stripe clearing holds") and lines[0].endswith(": agrees")
    assert lines[-1] == "reconciled: every item matched"
    assert report.ok
