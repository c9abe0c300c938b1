"""On PostgreSQL with real threads: fifty approvals at once, of transfers out of a fund and of supplier
payments from it, never take its bank share or its money below zero; the books still verify."""

from __future__ import annotations

from datetime import date

import pytest

from pledgebank.books.services import book_of, post
from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.ledger import rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import FundType
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories import treasurer as treasurer_support
from tests.factories.fund_transfers import add_fund, approve, propose, terms
from tests.factories.grants import clock_now, give_fund, world
from tests.factories.pledges import assert_books_ok, balance

pytestmark = pytest.mark.postgres


def _refused_beside_the_amount(outcomes) -> bool:
    return all(isinstance(o.error, InvalidInput) and "amount" in o.error.fields for o in outcomes)


def test_fifty_transfer_and_payment_approvals_at_once_pay_what_the_fund_holds(app, sessions, together):
    w = world(sessions)
    give_fund(app, w.slug, 17_000)
    add_fund(app, w.slug, "repairs", FundType.DESIGNATED)
    transfers = [propose(app, w.members[0], w.slug, terms(amount=1_000)) for _ in range(25)]
    payment = treasurer_support.terms(
        app,
        SUPPLIER_PAYMENT,
        amount=1_000,
        place="bank",
        payee="Oak Fencing",
        purpose="Panels",
        category="repairs",
    )
    payments = [
        treasurer_support.record(app, w.treasurer, w.slug, payment, threshold=0)[0] for _ in range(25)
    ]

    def work(n: int):
        if n % 2:
            return approve(app, w.chair, w.slug, transfers[n // 2])
        return treasurer_support.approve(app, w.members[1], payments[n // 2])

    outcomes = together(50, work)
    done = [o for o in outcomes if o.error is None]
    assert len(done) == 17
    assert _refused_beside_the_amount([o for o in outcomes if o.error is not None]), outcomes
    moved, spent = balance(app, "assets:bank:repairs"), balance(app, "expenses:general:repairs")
    assert balance(app, "assets:bank:general") == 0 and moved + spent == 17_000
    assert balance(app, "equity:repairs:balance") == -moved
    assert_books_ok(app)


def test_fifty_transfer_approvals_at_once_leave_committed_grants_their_money(app, sessions, together):
    w = world(sessions)
    give_fund(app, w.slug, 17_000)
    add_fund(app, w.slug, "repairs", FundType.DESIGNATED)
    transfers = [propose(app, w.members[0], w.slug, terms(amount=1_000)) for _ in range(50)]
    # An award of £20 not yet paid: the bank holds £170, but only £150 is the fund's to move.
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, w.slug).id)
        award = rules.grant_awarded(
            amount=Money(2_000, "GBP"), fund="general", key="award", on=date(2026, 3, 1), source={"grant": 1}
        )
        post(session, book=book, entry=award, now=clock_now(app))

    outcomes = together(50, lambda n: approve(app, w.chair, w.slug, transfers[n]))
    assert len([o for o in outcomes if o.error is None]) == 15
    assert _refused_beside_the_amount([o for o in outcomes if o.error is not None]), outcomes
    assert balance(app, "assets:bank:general") == 2_000 and balance(app, "assets:bank:repairs") == 15_000
    assert_books_ok(app)
