"""The receipts-and-payments account of a book kept before money was attributed to funds reads the fund of
each book-level posting as `ledger attribute-legacy` attributes it: a grant paid then from a restricted fund
is that fund's payment, cash taken then for its pledge its receipt, so after the move each column's cash at
the end of the year is what that column's funds hold in the bank, the cash box and Stripe clearing."""

from __future__ import annotations

from datetime import date

from pledgebank.books.services import book_by_slug
from pledgebank.db import unit_of_work
from pledgebank.exports.cash_flows import PAYMENTS, RECEIPTS, cash_flows
from pledgebank.exports.receipts_payments import receipts_and_payments
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import FundType
from tests.factories.grants import apply, decide, give_fund, make_round, pay, reviewed, today
from tests.factories.pledges import assert_books_ok, make_pledge, record_cash, sign
from tests.helpers.legacy import TREES, attribute, balances, fund_totals, legacy_book

RESTRICTED, UNRESTRICTED = FundType.RESTRICTED.value, FundType.UNRESTRICTED.value


def gifts_pledged_cash_and_a_paid_grant(app, w) -> None:
    """Donations to both funds, cash taken for a street-trees pledge, a grant from it awarded and paid."""
    give_fund(app, w.slug, 60_000, fund=TREES, key="trees-gift")
    give_fund(app, w.slug, 25_000, key="general-gift")
    pledge = make_pledge(app, w.slug, w.chair, fund_slug=TREES, title="Plant twenty street trees")
    record_cash(app, sign(app, pledge, w.residents[1], method="cash"), w.treasurer)
    application = apply(app, make_round(app, w, fund_slug=TREES), w.residents[0], 20_000)
    reviewed(app, application, w.committee)
    decide(app, application, w.chair)
    assert pay(app, application, w.treasurer) == "paid"


def account(app, slug: str):
    """The receipts-and-payments account of the year to date."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        book = book_by_slug(session, slug)
        return receipts_and_payments(session, book, start=date(2025, 4, 1), end=today(app))


def flows(app, slug: str) -> list:
    """Every receipt, payment and transfer between funds through today."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return list(cash_flows(session, book_by_slug(session, slug), until=today(app)))


def test_legacy_cash_movements_fall_in_the_columns_of_the_funds_they_are_attributed_to(
    app, sessions, database_url, monkeypatch
):
    w = legacy_book(app, sessions, database_url, monkeypatch, gifts_pledged_cash_and_a_paid_grant)
    assert balances(sessions)[chart.BANK] == 60_000 + 25_000 - 20_000
    before = flows(app, w.slug)
    assert (TREES, PAYMENTS, "grants", 20_000) in [(f.fund, f.side, f.key, f.amount) for f in before]
    assert (TREES, RECEIPTS, "pledges-held", 1_000) in [(f.fund, f.side, f.key, f.amount) for f in before]

    done = attribute(app)
    assert done.exit_code == 0, done.output
    assert flows(app, w.slug) == before  # the move itself is neither a receipt nor a payment
    statement = account(app, w.slug)

    grants = next(line for line in statement.payments if line.key == "grants")
    assert grants.amounts == {RESTRICTED: 20_000}
    held = next(line for line in statement.receipts if line.key == "pledges-held")
    assert held.amounts == {RESTRICTED: 1_000}
    assert statement.closing.amounts == {RESTRICTED: 60_000 + 1_000 - 20_000, UNRESTRICTED: 25_000}
    for column in (RESTRICTED, UNRESTRICTED):
        assert statement.closing.amounts[column] == statement.total(statement.cash, column)
    [trees] = statement.funds
    assert trees.cash_end == 41_000 and trees.balance == 41_000 - 1_000  # it still holds the pledged cash
    assert not any(code in chart.FUND_HELD for code in balances(sessions))
    assert set(fund_totals(sessions).values()) == {0}
    assert_books_ok(app)
