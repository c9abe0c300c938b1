"""Migration 0009 on a database that already holds funds: each fund is typed by what it was used for and gets
its fund-balance account, and the books still verify."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.db import unit_of_work
from pledgebank.migrate import downgrade, upgrade
from pledgebank.neighbourhoods.models import Fund
from tests.factories.grants import give_fund, make_round, world
from tests.factories.pledges import assert_books_ok, make_pledge
from tests.helpers.legacy import add_fund


def test_existing_funds_are_typed_by_their_use_and_get_fund_balance_accounts(app, sessions, database_url):
    w = world(sessions)
    for name in ("Street trees", "Village hall", "Rainy day"):
        add_fund(app, w, name)
    make_pledge(app, w.slug, w.members[0], fund_slug="street-trees", title="Plant twenty street trees")
    make_pledge(app, w.slug, w.members[1], fund_slug="village-hall", title="Paint the hall")
    give_fund(app, w.slug, 50_000, fund="village-hall")
    make_round(app, w, fund_slug="village-hall")
    app.extensions["pledgebank.engine"].dispose()

    downgrade(database_url, "0008")  # just before fund accounting
    upgrade(database_url)

    with unit_of_work(sessions) as session:
        funds = {f.slug: (f.fund_type, f.purpose) for f in session.scalars(select(Fund))}
        equity = sorted(session.scalars(select(LedgerAccount.code).where(LedgerAccount.type == "equity")))
    assert funds == {
        "general": ("unrestricted", ""),
        "street-trees": ("restricted", "Pledged for: Plant twenty street trees"),
        "village-hall": ("designated", ""),  # a grant round spends from it: the committee's money
        "rainy-day": ("designated", ""),
    }
    assert equity == [f"equity:{slug}:balance" for slug in sorted(funds)]
    assert_books_ok(app)
