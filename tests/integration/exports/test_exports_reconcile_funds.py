"""A Stripe payout carrying several funds' money is split by fund: each fund's bank share gains what its
Stripe clearing gives up, worked out from the balance transactions the payout matched, and every fund's
clearing ends at what Stripe still holds for it."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.books.services import book_by_slug, post
from pledgebank.db import unit_of_work
from pledgebank.exports.reconcile import Status, StripeActivity
from pledgebank.ledger import chart, rules
from pledgebank.neighbourhoods import funds as fund_services
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.gateway import Payout
from tests.factories.pledges import assert_books_ok
from tests.helpers.reconcile import CREATED, DAY, NOW, charge, gbp, payout_legs, reconcile, refund, two_books

TREES = "street-trees"


def add_trees_fund(sessions, slug: str) -> None:
    """A second fund in the book, for the street-trees pledge."""
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, slug)
        fund_services.add_fund(
            session, actor_id=1, neighbourhood=place, name="Street trees", description="", now=NOW
        )


def post_entry(sessions, slug: str, entry) -> None:
    """Post one entry to the book."""
    with unit_of_work(sessions) as session:
        post(session, book=book_by_slug(session, slug), entry=entry, now=NOW)


def card(n: int, amount: int, fund: str):
    """The pledges engine's record of a captured card payment for a fund, with Stripe's fee."""
    bt = charge(n, amount)
    return rules.card_payment_received(
        gross=gbp(amount),
        fee=gbp(bt.fee),
        fund=fund,
        income_source="pledges",
        key=f"card:{n}",
        on=DAY,
        source={"charge": f"ch_{n}", "balance_transaction": bt.id},
    )


def levy_by_card(n: int, amount: int, fund: str):
    """A levy charge raised and paid by card into the fund (two entries)."""
    bt = charge(n, amount)
    raised = rules.receivable_raised(
        amount=gbp(amount), fund=fund, key=f"levy:{n}:raised", on=DAY, source={"levy_charge": n}
    )
    paid = rules.receivable_settled(
        amount=gbp(amount),
        fund=fund,
        income_source="levies",
        into=chart.STRIPE_CLEARING,
        fee=gbp(bt.fee),
        key=f"levy:{n}:paid",
        on=DAY,
        source={"levy_charge": n, "charge": f"ch_{n}", "balance_transaction": bt.id},
    )
    return [raised, paid]


def balances(app, slug: str) -> dict[str, int]:
    """Every account of the book with a balance."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_by_slug(session, slug)
        rows = session.execute(
            select(LedgerAccount.code, LedgerAccount.balance).where(
                LedgerAccount.book_id == book.id, LedgerAccount.balance != 0
            )
        )
        return dict(rows.all())


def test_a_payout_of_two_funds_money_is_split_between_their_bank_and_clearing_shares(app, sessions):
    elm, oak = two_books(sessions)
    add_trees_fund(sessions, elm)
    post_entry(sessions, elm, card(1, 2_000, "general"))
    post_entry(sessions, elm, card(2, 3_000, TREES))
    for entry in levy_by_card(3, 1_500, "general"):
        post_entry(sessions, elm, entry)
    post_entry(sessions, oak, card(4, 1_000, "general"))
    post_entry(
        sessions,
        elm,
        rules.refund(
            amount=gbp(500),
            fund=TREES,
            income_source="pledges",
            key="refund:2",
            on=DAY,
            source={"refund": "re_2", "charge": "ch_2"},
        ),
    )
    post_entry(sessions, elm, card(5, 700, TREES))  # not paid out yet
    parts = [charge(1, 2_000), charge(2, 3_000), charge(3, 1_500), charge(4, 1_000), refund(2, 500)]
    payout = Payout(
        "po_9", sum(bt.net for bt in parts), "GBP", "paid", CREATED + 2 * 86_400, CREATED + 3600, "txn_po9"
    )
    activity = StripeActivity([(payout, parts)], [*parts, charge(5, 700)])

    report = reconcile(app, activity)

    assert all(line.status == Status.MATCHED for line in report.lines), report.lines
    assert report.payouts[0].reconciled and report.ok
    general = charge(1, 2_000).net + charge(3, 1_500).net
    trees = charge(2, 3_000).net - 500
    assert payout_legs(app, elm) == [
        ("assets:bank:general", general),
        ("assets:stripe-clearing:general", -general),
        ("assets:bank:street-trees", trees),
        ("assets:stripe-clearing:street-trees", -trees),
    ]
    assert payout_legs(app, oak) == [
        ("assets:bank:general", charge(4, 1_000).net),
        ("assets:stripe-clearing:general", -charge(4, 1_000).net),
    ]
    held = balances(app, elm)
    assert held["assets:bank:general"] == general
    assert held["assets:bank:street-trees"] == trees
    assert "assets:stripe-clearing:general" not in held  # all of the general fund's card money is paid out
    assert held["assets:stripe-clearing:street-trees"] == charge(5, 700).net  # what Stripe still holds
    assert report.clearing[elm] == (charge(5, 700).net, "GBP") and report.unpaid[elm] == charge(5, 700).net
    assert not any(code in held for code in chart.FUND_HELD)  # nothing lands on the book-level accounts

    again = reconcile(app, activity)
    assert again.ok and len(payout_legs(app, elm)) == 4
    assert_books_ok(app)
