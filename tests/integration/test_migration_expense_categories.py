"""Migration 0013 on a database that already holds neighbourhoods: each gets the six categories and its
category accounts take their names; a downgrade removes only the accounts of added categories nothing was
posted to, and the books verify throughout."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.treasurer_models import ExpenseCategory
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart
from pledgebank.migrate import downgrade, upgrade
from tests.factories.categories import accounts_ending, add
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import record, terms


def _categories(sessions) -> list[tuple[int, str, str, bool]]:
    with unit_of_work(sessions) as session:
        rows = session.scalars(select(ExpenseCategory).order_by(ExpenseCategory.id))
        return [(c.neighbourhood_id, c.slug, c.name, c.retired) for c in rows]


def test_existing_neighbourhoods_get_the_six_categories(app, sessions, database_url):
    w = world(sessions)
    other = world(sessions, prefix="oak-", name="Oak Vale")
    give_fund(app, w.slug, 10_000)
    add(app, w.treasurer, w.slug, "Garden")
    add(app, w.treasurer, w.slug, "Lights")
    payment = {"payee": "Nursery", "purpose": "Bulbs", "place": "bank", "category": "garden", "amount": 900}
    record(app, w.treasurer, w.slug, terms(app, "supplier_payment", **payment))
    app.extensions["pledgebank.engine"].dispose()

    downgrade(database_url, "0011")
    assert set(accounts_ending(app, "garden")) == {"expenses:general:garden"}  # it holds a posting
    assert accounts_ending(app, "lights") == {}
    assert accounts_ending(app, "hall-hire")["expenses:general:hall-hire"] == "General fund: hall hire"
    upgrade(database_url)

    expected = [
        (place.neighbourhood_id, slug, name, False)
        for place in (w, other)
        for slug, name in chart.default_categories()
    ]
    assert sorted(_categories(sessions)) == sorted(expected)
    assert accounts_ending(app, "hall-hire")["expenses:general:hall-hire"] == "General fund: Hall hire"
    assert balance(app, "expenses:general:garden") == 900
    assert_books_ok(app)
