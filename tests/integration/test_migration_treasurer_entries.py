"""Migration 0011 on a database that already holds funds: each fund gets its interest, bank-charges and
expense-category accounts, a downgrade takes away only those nothing was posted to, and the books verify."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank.books.models import LedgerAccount
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart
from pledgebank.migrate import downgrade, upgrade
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok
from tests.factories.treasurer import record, terms
from tests.helpers.legacy import add_fund


def treasurer_accounts(sessions) -> dict[str, str]:
    """Every per-fund account of the treasurer's entries, with its name."""
    wanted = {spec.code.split(":", 2)[2] for spec in chart.treasurer_accounts("x", "X")}
    with unit_of_work(sessions) as session:
        rows = session.execute(select(LedgerAccount.code, LedgerAccount.name, LedgerAccount.type)).all()
    return {
        code: (name, kind)
        for code, name, kind in rows
        if code.count(":") == 2 and code.split(":")[2] in wanted
    }


def test_existing_funds_get_the_treasurer_accounts(app, sessions, database_url):
    w = world(sessions)
    add_fund(app, w, "Street trees")
    give_fund(app, w.slug, 50_000)
    record(app, w.treasurer, w.slug, terms(app, "bank_charges", amount=300))
    expected = {
        spec.code: (spec.name, spec.type.value)
        for fund, name in (("general", "General fund"), ("street-trees", "Street trees"))
        for spec in chart.treasurer_accounts(fund, name)
    }
    assert treasurer_accounts(sessions) == expected
    app.extensions["pledgebank.engine"].dispose()

    downgrade(database_url, "0010")
    assert set(treasurer_accounts(sessions)) == {"expenses:general:bank-charges"}  # it holds a posting
    upgrade(database_url)

    assert treasurer_accounts(sessions) == expected
    assert_books_ok(app)
