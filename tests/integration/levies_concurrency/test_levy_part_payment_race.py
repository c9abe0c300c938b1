"""The same part payment of a levy charge recorded from two tabs at once, on PostgreSQL with real threads: the
money is recorded once, and the other tab is told the charge changed."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict
from pledgebank.ledger import chart
from pledgebank.levies import charges
from tests.factories.levies import active_levy, charge_of, join, levy_world, now_of, today_of
from tests.factories.pledges import assert_books_ok, balance, due

pytestmark = pytest.mark.postgres


def test_the_same_part_payment_sent_from_four_tabs_is_recorded_once(app, sessions, together):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, amount=1000)
    home = join(app, levy, ann, "1 Elm Road")
    due(app)
    charge_id = charge_of(app, home).id

    def record(_: int) -> int:
        with unit_of_work(sessions) as session:
            return charges.record_payment(
                session,
                actor_id=chair,
                charge_id=charge_id,
                into="cash",
                amount=400,
                on=today_of(app),
                owed=1000,
                now=now_of(app),
                zone=app.config["TIMEZONE"],
            ).part_paid

    outcomes = together(4, record)
    assert [o.value for o in outcomes if o.error is None] == [400]
    assert all(isinstance(o.error, Conflict) for o in outcomes if o.error is not None)
    charge = charge_of(app, home)
    assert (charge.status, charge.part_paid, charge.amount_due) == ("due", 400, 600)
    assert balance(app, chart.CASH) == 400
    assert_books_ok(app)
