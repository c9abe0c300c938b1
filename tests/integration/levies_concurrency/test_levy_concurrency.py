"""run-due running twice at once on PostgreSQL, with real threads (each with its own connection) against
the Stripe emulator: one charge per household per period, one payment each, one receivable each."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from pledgebank.jobs import run_due
from tests.factories.levies import (
    active_levy,
    charges_of,
    intents_for,
    join,
    levy_world,
    raised_in_ledger,
    save_card,
    sources,
)
from tests.factories.pledges import assert_books_ok, balance, captured_in_stripe, many_residents

pytestmark = pytest.mark.postgres

HOUSEHOLDS = 24


def twice_at_once(app, together) -> list[dict]:
    """run-due in two threads released together; what each did."""
    outcomes = together(2, lambda _: dict(run_due(app)))
    assert [o.error for o in outcomes if o.error is not None] == []
    return [outcome.value for outcome in outcomes]


def test_two_runs_at_once_raise_and_collect_each_charge_once(app, sessions, together, clock):
    slug, chair, member, _ = levy_world(sessions, residents=0)
    people = many_residents(sessions, slug, HOUSEHOLDS)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=900)
    homes = [join(app, levy, person, f"{n} Elm Road", "ABCDEFGH"[n % 8]) for n, person in enumerate(people)]
    for person in people[: HOUSEHOLDS // 2]:
        assert save_card(app, levy, person).status == "saved"

    for month in range(2):
        done = twice_at_once(app, together)
        assert sum(d.get("levy charges raised", 0) for d in done) == HOUSEHOLDS
        assert sum(d.get("levy charges paid by card", 0) for d in done) == HOUSEHOLDS // 2
        assert sum(d.get("levy reminders sent", 0) for d in done) == HOUSEHOLDS // 2  # one each, not two
        assert sum(d.get("levy charges in arrears", 0) for d in done) == (HOUSEHOLDS // 2 if month else 0)
        found = charges_of(app, levy)
        per_period = Counter((c.household_id, c.period_start) for c in found)
        assert len(per_period) == HOUSEHOLDS * (month + 1) and set(per_period.values()) == {1}
        assert {c.household_id for c in found} == set(homes)
        clock.advance(timedelta(days=31))

    found = charges_of(app, levy)
    paid = [c for c in found if c.status == "paid"]
    assert len(paid) == HOUSEHOLDS  # the card payers, both months
    assert all(len(intents_for(app, c.id)) == 1 for c in paid)  # never charged twice
    assert {c.attempts for c in found if c.status == "due"} == {1}  # this month's cash: reminded once
    assert {c.attempts for c in found if c.status == "arrears"} == {4}  # last month's: in arrears
    assert raised_in_ledger(app) == sum(c.amount for c in found)
    assert len(sources(app, "receivable_raised")) == len(found)
    assert Counter(s["levy_charge"] for s in sources(app, "receivable_settled")) == {
        str(c.id): 1 for c in paid
    }
    gross, _ = captured_in_stripe(app)
    assert gross == sum(c.amount for c in paid)
    assert balance(app, "income:general:levies") == -gross
    assert_books_ok(app)
