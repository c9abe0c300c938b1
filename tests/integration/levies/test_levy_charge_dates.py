"""A levy charge is dated on the first day of its period the household is liable for, not on the day the
sweep that raises it runs: a sweep that catches up on missed periods dates each charge to its own period."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from pledgebank.books.models import LedgerTransaction
from pledgebank.db import unit_of_work
from tests.factories.levies import active_levy, charges_of, join, levy_world
from tests.factories.pledges import assert_books_ok, due
from tests.helpers.ledger_sql import PG_ADMIN_URL


def raised_on(sessions) -> dict[int, tuple[date, str]]:
    """Each raised charge's ledger date and memo, by charge id."""
    with unit_of_work(sessions) as session:
        rows = session.scalars(select(LedgerTransaction).where(LedgerTransaction.kind == "receivable_raised"))
        return {int(row.source["levy_charge"]): (row.effective_date, row.memo) for row in rows}


def test_a_catch_up_sweep_dates_each_charge_to_its_period_or_the_day_the_household_joined(
    app, sessions, clock
):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)  # £10 a month from 2 March 2026
    first = join(app, levy, ann, "1 Elm Road")
    assert due(app)["levy charges raised"] == 1
    clock.advance(timedelta(days=8))  # 10 March: a second household joins part-way through the period
    second = join(app, levy, ben, "2 Elm Road")
    clock.advance(timedelta(days=56))  # 5 May: no sweep has run since 2 March

    assert due(app)["levy charges raised"] == 5
    dated = raised_on(sessions)
    found = {
        (charge.household_id, charge.period_start): (dated[charge.id][0], charge.amount)
        for charge in charges_of(app, levy)
    }
    march, april, may = date(2026, 3, 2), date(2026, 4, 2), date(2026, 5, 2)
    assert found == {
        (first, march): (march, 1000),
        (second, march): (date(2026, 3, 10), 742),  # 23 of the period's 31 days
        (first, april): (april, 1000),
        (second, april): (april, 1000),
        (first, may): (may, 1000),
        (second, may): (may, 1000),
    }
    assert {memo for _day, memo in dated.values()} == {"receivable_raised"}
    assert "levy charges raised" not in due(app)
    assert_books_ok(app)


@pytest.mark.skipif(not PG_ADMIN_URL, reason="needs PostgreSQL: SQLite posts each entry through the ORM")
def test_a_sweep_seals_all_the_charges_it_raises_in_one_call(app, sessions, clock):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "1 Elm Road")
    join(app, levy, ben, "2 Elm Road")
    clock.advance(timedelta(days=64))
    calls: list[str] = []
    engine = app.extensions["pledgebank.engine"]
    listener = lambda *args: calls.append(args[2]) if "pb_ledger_post" in args[2] else None  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert due(app)["levy charges raised"] == 6
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(calls) == 1 and "pb_ledger_post_many(" in calls[0]
    assert len(raised_on(sessions)) == 6
    assert_books_ok(app)
