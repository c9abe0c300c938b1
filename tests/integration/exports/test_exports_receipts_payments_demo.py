"""On the demo neighbourhood's books, every year's receipts-and-payments account ends with cash funds equal to
the bank, the cash box and Stripe clearing, in each fund-type column and in total."""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank.books.models import LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.exports import receipts_payments, statements
from pledgebank.exports.cash_flows import is_cash
from pledgebank.neighbourhoods.models import Fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.pledges import assert_books_ok
from tests.factories.seeded import seeded_app


def test_the_demo_accounts_cash_funds_equal_the_money_held_every_year(
    database_template, stripe_emulator, tmp_path
):
    with seeded_app(database_template, tmp_path, stripe_emulator) as (app, seeded):
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            book = book_of(session, get_neighbourhood(session, seeded.slug).id)
            t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
            first, last = session.execute(
                select(func.min(t.effective_date), func.max(t.effective_date)).where(t.book_id == book.id)
            ).one()
            for year in range(statements.year_of(first, "04-01"), statements.year_of(last, "04-01") + 1):
                start, end = statements.year_starting(year, "04-01")
                account = receipts_payments.receipts_and_payments(session, book, start=start, end=end)
                rows = session.execute(
                    select(a.code, Fund.fund_type, Fund.is_general, func.sum(p.amount))
                    .join(p, p.account_id == a.id)
                    .join(t, t.id == p.transaction_id)
                    .outerjoin(Fund, Fund.id == a.fund_id)
                    .where(a.book_id == book.id, t.effective_date <= end)
                    .group_by(a.code, Fund.fund_type, Fund.is_general)
                )
                held: dict[str, int] = {}
                for code, fund_type, _general, total in rows:
                    if is_cash(code):
                        column = "unrestricted" if fund_type in (None, "designated") else fund_type
                        held[column] = held.get(column, 0) + int(total)
                assert account.closing.total == sum(held.values()) > 0
                for column, _name in account.columns:
                    assert account.closing.amounts.get(column, 0) == held.get(column, 0)
                assert all(line.total >= 0 for line in account.payments)
        assert_books_ok(app)
