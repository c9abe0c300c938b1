"""Migration 0010 on a database that already holds funds: each fund gets its share of every asset and
liability (bank and cash guarded), a downgrade takes away only the shares nothing was posted to, and the
books still verify."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart
from pledgebank.migrate import downgrade, upgrade
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.legacy import add_fund


def shares(sessions) -> dict[str, bool]:
    """Every fund sub-account of an asset or liability, with whether it must not go negative."""
    with unit_of_work(sessions) as session:
        rows = session.execute(select(LedgerAccount.code, LedgerAccount.must_not_go_negative)).all()
    return {code: guarded for code, guarded in rows if chart.place_of(code) not in (None, code)}


def test_existing_funds_get_their_shares_of_assets_and_liabilities(app, sessions, database_url):
    w = world(sessions)
    add_fund(app, w, "Street trees")
    give_fund(app, w.slug, 50_000, fund="street-trees")  # posts to the street-trees fund's bank share
    expected = {
        chart.held_in(place, fund): place in (chart.BANK, chart.CASH)
        for fund in ("general", "street-trees")
        for place in chart.FUND_HELD
    }
    assert shares(sessions) == expected
    app.extensions["pledgebank.engine"].dispose()

    downgrade(database_url, "0009")
    assert shares(sessions) == {"assets:bank:street-trees": True}  # it holds postings, so it stays
    upgrade(database_url)

    assert shares(sessions) == expected
    assert_books_ok(app)
