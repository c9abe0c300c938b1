"""The same list of charges confirmed from several tabs at once, on PostgreSQL with real threads: the money
is taken once, and every other confirmation finds the first."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.levies import consents
from tests.factories.levies import (
    active_levy,
    charges_of,
    confirm_owed,
    intents_for,
    join,
    join_with_card,
    levy_world,
    now_of,
    owed_now,
)
from tests.factories.pledges import assert_books_ok, captured_in_stripe, due

pytestmark = pytest.mark.postgres


def test_one_list_of_charges_confirmed_from_six_tabs_at_once_is_taken_once(app, sessions, together):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    lighting = active_levy(app, slug, chair, member, amount=1000)
    garden = active_levy(app, slug, chair, member, name="Garden square", amount=467)
    home = join_with_card(app, lighting, ann, "1 Elm Road")
    join(app, garden, ann, "1 Elm Road")
    due(app)
    due(app, days=31)  # two garden periods owed; the card was never authorised for them
    with unit_of_work(sessions) as session:
        consents.use_card_for_levy(session, levy_id=garden, user_id=ann, now=now_of(app))
    listing = owed_now(app, home)
    assert [(c.levy_name, c.amount) for c in listing.charges] == [("Garden square", 467)] * 2

    outcomes = together(6, lambda _: confirm_owed(app, home, ann, key=listing.key))
    assert [o.error for o in outcomes] == [None] * 6
    taken = [o.value for o in outcomes if not o.value.again]
    assert len(taken) == 1 and (taken[0].paid, taken[0].not_paid) == (2, 0)
    garden_charges = charges_of(app, garden)
    assert [c.paid_via for c in garden_charges] == ["card", "card"]
    assert [len(intents_for(app, c.id)) for c in garden_charges] == [1, 1]
    assert captured_in_stripe(app)[0] == 2000 + 934
    assert_books_ok(app)
