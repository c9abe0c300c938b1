"""Card payments taken before money was attributed to funds, paid out by Stripe after the upgrade. Once
`ledger attribute-legacy` has moved the book's legacy balances into the funds' shares, such a payout posts
straight to each fund's bank and Stripe clearing shares, split by the fund each payment was attributed to, and
the move itself is no Stripe movement the reconciliation has to explain. Before the move the payout posts to
the book-level accounts, as it always has: the funds' bank shares hold none of the legacy money yet, so a fund
whose refunds outweigh its receipts in the payout could not give its part back from its own share; the move
then attributes that payout with the rest."""

from __future__ import annotations

from datetime import date

from pledgebank.books.services import book_by_slug, post
from pledgebank.db import unit_of_work
from pledgebank.exports.reconcile import Status, StripeActivity, reconcile_stripe
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.payments.gateway import Payout
from tests.factories.grants import World, clock_now, today
from tests.factories.pledges import assert_books_ok
from tests.helpers.legacy import (
    TREES,
    attribute,
    balances,
    fund_totals,
    legacy_book,
)
from tests.helpers.reconcile import CREATED, ZONE, charge, payout_legs, refund

SINCE = date(2026, 3, 1)


def posted(*entries):
    """An arrangement posting card payments and refunds as the engines do."""

    def arrange(app, w: World) -> None:
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            book = book_by_slug(session, w.slug)
            for entry in entries:
                post(session, book=book, entry=entry(app), now=clock_now(app))

    return arrange


def card(n: int, amount: int, fund: str):
    """A card payment into a fund, with Stripe's fee, as the engines post it from the charge."""
    bt = charge(n, amount)
    return lambda app: rules.card_payment_received(
        gross=Money(amount, "GBP"),
        fee=Money(bt.fee, "GBP"),
        fund=fund,
        income_source="pledges",
        key=f"card:{n}",
        on=today(app),
        source={"charge": f"ch_{n}", "balance_transaction": bt.id},
    )


def card_refund(n: int, amount: int, fund: str):
    """Part of card payment n given back from Stripe clearing."""
    return lambda app: rules.refund(
        amount=Money(amount, "GBP"),
        fund=fund,
        income_source="pledges",
        key=f"refund:{n}",
        on=today(app),
        source={"refund": f"re_{n}", "charge": f"ch_{n}"},
    )


def paid_out(payout_id: str, parts, recent=()) -> StripeActivity:
    """Stripe's report of one payout carrying `parts`."""
    net = sum(bt.net for bt in parts)
    payout = Payout(payout_id, net, "GBP", "paid", CREATED + 2 * 86_400, CREATED + 3600, f"txn_{payout_id}")
    return StripeActivity([(payout, list(parts))], [*parts, *recent])


def reconcile(app, activity: StripeActivity):
    """Run the reconciliation in one unit of work."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return reconcile_stripe(session, activity, since=SINCE, zone=ZONE, now=clock_now(app))


def test_after_the_move_a_payout_of_legacy_card_payments_posts_to_the_funds_shares(
    app, sessions, database_url, monkeypatch
):
    w = legacy_book(
        app,
        sessions,
        database_url,
        monkeypatch,
        posted(card(1, 3_000, TREES), card(2, 2_000, "general"), card(3, 700, TREES)),
    )
    trees, general, later = charge(1, 3_000).net, charge(2, 2_000).net, charge(3, 700).net
    assert balances(sessions)[chart.STRIPE_CLEARING] == trees + general + later
    done = attribute(app)
    assert done.exit_code == 0, done.output
    assert balances(sessions)[chart.held_in(chart.STRIPE_CLEARING, TREES)] == trees + later

    activity = paid_out("po_1", [charge(1, 3_000), charge(2, 2_000)], recent=[charge(3, 700)])
    report = reconcile(app, activity)

    assert all(line.status == Status.MATCHED for line in report.lines), report.lines
    assert report.payouts[0].reconciled and report.ok
    assert payout_legs(app, w.slug) == [
        (chart.held_in(chart.BANK, "general"), general),
        (chart.held_in(chart.STRIPE_CLEARING, "general"), -general),
        (chart.held_in(chart.BANK, TREES), trees),
        (chart.held_in(chart.STRIPE_CLEARING, TREES), -trees),
    ]
    held = balances(sessions)
    assert not any(code in chart.FUND_HELD for code in held)  # nothing lands on the book-level accounts
    assert held[chart.held_in(chart.BANK, TREES)] == trees
    assert held[chart.held_in(chart.BANK, "general")] == general
    assert held[chart.held_in(chart.STRIPE_CLEARING, TREES)] == later  # what Stripe still holds for it
    assert chart.held_in(chart.STRIPE_CLEARING, "general") not in held
    assert set(fund_totals(sessions).values()) == {0}
    assert report.clearing[w.slug] == (later, "GBP") and report.unpaid[w.slug] == later

    again = reconcile(app, activity)
    assert again.ok and len(payout_legs(app, w.slug)) == 4
    assert_books_ok(app)


def test_before_the_move_a_payout_of_legacy_card_payments_posts_to_the_book_level_accounts(
    app, sessions, database_url, monkeypatch
):
    w = legacy_book(
        app,
        sessions,
        database_url,
        monkeypatch,
        posted(card(1, 3_000, TREES), card(2, 2_000, "general"), card_refund(1, 1_000, TREES)),
    )
    # The street-trees fund's refund outweighs its receipts in this payout: its part is -£10.00.
    parts = [charge(2, 2_000), refund(1, 1_000)]
    amount = charge(2, 2_000).net - 1_000

    report = reconcile(app, paid_out("po_1", parts, recent=[charge(1, 3_000)]))

    assert report.payouts[0].reconciled and report.ok, report.lines
    assert payout_legs(app, w.slug) == [(chart.BANK, amount), (chart.STRIPE_CLEARING, -amount)]
    done = attribute(app)
    assert done.exit_code == 0, done.output
    held = balances(sessions)
    assert not any(code in chart.FUND_HELD for code in held)
    assert set(fund_totals(sessions).values()) == {0}
    clearing = sum(amount for code, amount in held.items() if chart.place_of(code) == chart.STRIPE_CLEARING)
    bank = sum(amount for code, amount in held.items() if chart.place_of(code) == chart.BANK)
    assert (clearing, bank) == (charge(1, 3_000).net, amount)
    assert_books_ok(app)
