"""A transfer between funds in the receipts-and-payments account: on the "transfers between funds" line, out
of one column and into another, never a receipt or a payment; the cash funds at the end still equal the bank,
the cash box and Stripe clearing, column by column."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pledgebank.books.models import LedgerAccount
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.exports.cash_flows import is_cash
from pledgebank.exports.receipts_payments import receipts_and_payments
from pledgebank.neighbourhoods.models import Fund, FundType
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.fund_transfers import add_fund, approve, propose, terms
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok


def test_the_transfer_is_on_its_own_line_and_the_cash_funds_still_add_up(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    add_fund(app, w.slug, "trees", FundType.RESTRICTED, purpose="Plant twenty street trees")
    add_fund(app, w.slug, "repairs", FundType.DESIGNATED)
    top_up = terms(to_fund="trees", amount=12_000, reason="Top up the tree fund")
    approve(app, w.members[0], w.slug, propose(app, w.chair, w.slug, top_up))
    approve(app, w.chair, w.slug, propose(app, w.members[0], w.slug, terms(amount=5_000)))
    with unit_of_work(sessions) as session:
        book = book_of(session, get_neighbourhood(session, w.slug).id)
        account = receipts_and_payments(session, book, start=date(2025, 4, 1), end=date(2026, 3, 31))
        assert account.transfers.label == "Transfers between funds"
        # Designating stays inside the unrestricted column; the top-up leaves it for the restricted one.
        assert account.transfers.amounts == {"unrestricted": -12_000, "restricted": 12_000}
        assert account.transfers.total == 0
        assert account.total(account.receipts) == 50_000 and account.total(account.payments) == 0
        held: dict[str, int] = {}
        rows = session.execute(
            select(LedgerAccount.code, Fund.fund_type, func.sum(LedgerAccount.balance))
            .outerjoin(Fund, Fund.id == LedgerAccount.fund_id)
            .where(LedgerAccount.book_id == book.id)
            .group_by(LedgerAccount.code, Fund.fund_type)
        )
        for code, fund_type, total in rows:
            if is_cash(code):
                column = "unrestricted" if fund_type in (None, "designated") else fund_type
                held[column] = held.get(column, 0) + int(total)
        assert held == {"unrestricted": 38_000, "restricted": 12_000}
        assert account.closing.total == sum(held.values()) == 50_000
        for column, _name in account.columns:
            assert account.closing.amounts.get(column, 0) == held.get(column, 0)
        (trees,) = account.funds
        assert (trees.cash_start, trees.cash_end) == (0, 12_000)
    assert_books_ok(app)
