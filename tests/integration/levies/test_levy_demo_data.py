"""The demo neighbourhood's levy: charges paid by card and in cash, waived, retrying and in arrears across
several periods, on books that verify."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.levies import queries
from pledgebank.levies.demo import seed_levies
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.levies import charges_of, raised_in_ledger, today_of
from tests.factories.pledges import assert_books_ok


def test_the_demo_levy_has_charges_at_every_stage(app, sessions, clock):
    clock.advance(timedelta(days=60))  # the demo replays two months: keep them after the users' creation
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now() - timedelta(days=70), currency="GBP")
    seed_levies(app, ids)
    found = charges_of(app)
    assert len({c.period_start for c in found}) == 3  # two whole months and the one just begun
    stages = Counter((c.status, c.paid_via) for c in found)
    assert stages[("paid", "card")] == 3 and stages[("paid", "cash")] == 2
    assert stages[("waived", None)] == 1 and stages[("retrying", None)] == 1
    assert stages[("arrears", None)] == 3  # Sofia's first two months, Li's second
    assert raised_in_ledger(app) == sum(c.amount for c in found)
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, "elm-park")
        (figures,) = queries.levy_figures(
            session, neighbourhood_id=place.id, today=today_of(app), zone="Europe/London"
        )
    assert figures.total.waived == 467 and figures.total.arrears["31-60"] > 0
    assert_books_ok(app)
