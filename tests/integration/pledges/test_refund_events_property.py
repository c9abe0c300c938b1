"""Property: however the refund and dispute events of a payment are delivered (any order, any of them
repeated, replayed after the fact), the books end the same as when each was delivered once, in order, and
`ledger verify` passes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.pledges import assert_books_ok
from tests.helpers.app import with_stripe
from tests.helpers.refunds import paid_pledge, story_events
from tests.helpers.webhooks import deliver, fingerprint

STORY_LENGTH = 6


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def test_any_delivery_of_the_events_converges_on_the_same_books(app, sessions):
    slug, _, intents = paid_pledge(app, sessions)
    for payload in story_events(app, intents):
        assert deliver(app, payload).status_code == 200
    expected = fingerprint(app, slug)
    numbers = itertools.count(1)

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        order=st.permutations(range(STORY_LENGTH)),
        replays=st.lists(st.integers(min_value=0, max_value=STORY_LENGTH - 1), max_size=6),
    )
    def deliveries(order: list[int], replays: list[int]) -> None:
        n = next(numbers)
        other, _, other_intents = paid_pledge(app, sessions, name=f"Row {n}", prefix=f"row{n}-")
        told = story_events(app, other_intents)
        assert len(told) == STORY_LENGTH
        for index in [*order, *replays]:
            assert deliver(app, told[index]).status_code == 200
        assert fingerprint(app, other) == expected

    deliveries()
    assert_books_ok(app)
