"""Stripe reconciliation with synthetic balance transactions (the emulator has no payouts): charges with
their fees and a refund paid out together across two books are matched, the payout is posted once to each
book and the clearing accounts come back to what Stripe still holds; whatever does not match is reported."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import book_by_slug, post
from pledgebank.db import unit_of_work
from pledgebank.exports.reconcile import Status, StripeActivity
from pledgebank.ledger import chart, rules
from pledgebank.payments.emulator import stripe_fee
from pledgebank.payments.gateway import Payout
from tests.factories.pledges import assert_books_ok
from tests.helpers.reconcile import CREATED, DAY, NOW, charge, gbp, reconcile, refund, two_books


def post_card(sessions, slug: str, n: int, amount: int, fee: int | None = None) -> None:
    """The ledger's record of a card payment, as the pledges engine posts it from the charge."""
    with unit_of_work(sessions) as session:
        entry = rules.card_payment_received(
            gross=gbp(amount),
            fee=gbp(stripe_fee(amount) if fee is None else fee),
            fund="general",
            income_source="pledges",
            key=f"card:{n}",
            on=DAY,
            source={"payment_intent": f"pi_{n}", "charge": f"ch_{n}", "balance_transaction": f"txn_c{n}"},
        )
        post(session, book=book_by_slug(session, slug), entry=entry, now=NOW)


def post_refund(sessions, slug: str, n: int, amount: int) -> None:
    """The ledger's record of a card refund (from Stripe clearing)."""
    with unit_of_work(sessions) as session:
        entry = rules.refund(
            amount=gbp(amount),
            fund="general",
            income_source="pledges",
            key=f"refund:{n}",
            on=DAY,
            source={"refund": f"re_{n}", "charge": f"ch_{n}"},
        )
        post(session, book=book_by_slug(session, slug), entry=entry, now=NOW)


def payouts(app) -> list[tuple[str, int, dict]]:
    """The payout transactions in every book: (idempotency key, sequence, source)."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.execute(
            select(LedgerTransaction.idempotency_key, LedgerTransaction.sequence, LedgerTransaction.source)
            .where(LedgerTransaction.kind == "payout")
            .order_by(LedgerTransaction.id)
        )
        return [tuple(row) for row in rows]


def test_a_payout_of_charges_and_a_refund_across_two_books_is_matched_and_posted_once(app, sessions):
    elm, oak = two_books(sessions)
    post_card(sessions, elm, 1, 2_000)
    post_card(sessions, oak, 2, 3_000)
    post_refund(sessions, elm, 1, 500)
    post_card(sessions, elm, 3, 1_200)
    parts = [charge(1, 2_000), charge(2, 3_000), refund(1, 500)]
    amount = sum(bt.net for bt in parts)
    payout = Payout("po_1", amount, "GBP", "paid", CREATED + 2 * 86_400, CREATED + 3600, "txn_po1")
    activity = StripeActivity([(payout, parts)], [*parts, charge(3, 1_200)])

    report = reconcile(app, activity)
    assert [(line.stripe_id, line.status) for line in report.lines] == [
        ("txn_c1", Status.MATCHED),
        ("txn_c2", Status.MATCHED),
        ("txn_r1", Status.MATCHED),
        ("txn_po1", Status.MATCHED),
        ("txn_c3", Status.MATCHED),
    ]
    [outcome] = report.payouts
    assert outcome.reconciled
    assert outcome.posted == {elm: 4, oak: 2}
    elm_share = charge(1, 2_000).net - 500
    assert payouts(app) == [
        ("stripe-payout:po_1", 4, {"payout": "po_1"}),
        ("stripe-payout:po_1", 2, {"payout": "po_1"}),
    ]
    assert report.clearing == {elm: (charge(3, 1_200).net, "GBP"), oak: (0, "GBP")}
    assert report.unpaid == {elm: charge(3, 1_200).net}
    assert report.ok
    assert elm_share + charge(2, 3_000).net == amount

    again = reconcile(app, activity)
    assert again.ok and again.payouts[0].posted == {elm: 4, oak: 2}
    assert len(payouts(app)) == 2
    assert_books_ok(app)


def test_what_does_not_match_is_reported_and_its_payout_is_not_posted(app, sessions):
    elm, _oak = two_books(sessions)
    post_card(sessions, elm, 1, 2_000)
    post_card(sessions, elm, 5, 1_000, fee=40)
    post_card(sessions, elm, 9, 700)
    parts = [charge(1, 2_000), charge(4, 1_500)]
    payout = Payout("po_2", sum(bt.net for bt in parts), "GBP", "paid", CREATED + 86_400, CREATED, None)
    activity = StripeActivity([(payout, parts)], [charge(5, 1_000)])

    report = reconcile(app, activity)
    statuses = {(line.stripe_id or line.source_id): line.status for line in report.lines}
    assert statuses == {
        "txn_c1": Status.MATCHED,
        "txn_c4": Status.MISSING_IN_LEDGER,
        "po_2": Status.MISSING_IN_LEDGER,
        "txn_c5": Status.AMOUNT_MISMATCH,
        "txn_c9": Status.MISSING_IN_STRIPE,
    }
    mismatch = next(line for line in report.lines if line.status == Status.AMOUNT_MISMATCH)
    assert (mismatch.stripe_net, mismatch.ledger_net) == (1_000 - stripe_fee(1_000), 960)
    assert report.payouts[0].reconciled is False
    assert payouts(app) == []
    assert (report.count(Status.MATCHED), report.count(Status.MISSING_IN_STRIPE)) == (1, 1)
    assert not report.ok
    assert_books_ok(app)


def test_a_clearing_movement_with_no_stripe_reference_is_reported(app, sessions):
    elm, _oak = two_books(sessions)
    with unit_of_work(sessions) as session:
        entry = rules.receivable_raised(
            fund="general", amount=gbp(900), key="owed:1", on=DAY, source={"levy_charge": 1}
        )
        post(session, book=book_by_slug(session, elm), entry=entry, now=NOW)
        entry = rules.receivable_settled(
            amount=gbp(900),
            fund="general",
            income_source="levies",
            into=chart.STRIPE_CLEARING,
            key="owed:1:paid",
            on=DAY,
            source={"levy_charge": 1},
        )
        post(session, book=book_by_slug(session, elm), entry=entry, now=NOW)
    report = reconcile(app, StripeActivity([], []))
    [line] = report.lines
    assert (line.status, line.stripe_type, line.ledger_net, line.places[0].sequence) == (
        Status.MISSING_IN_STRIPE,
        "receivable_settled",
        900,
        2,
    )
    assert report.clearing == {elm: (900, "GBP")}
    assert not report.ok
