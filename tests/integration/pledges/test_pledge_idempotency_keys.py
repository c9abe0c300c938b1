"""Every call that creates or moves money at Stripe carries an idempotency key of its own.

Stripe answers a repeated key with the first call's result, so a key used again for a new attempt (another
card after a decline, say) would hand back the old, dead object. The emulator ignores keys, so the app's
traffic goes through a recording proxy and the keys are checked there.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pledgebank.payments.gateway import TestCard
from tests.factories.pledges import (
    authenticate_card,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_state,
    pledge_with_card,
    replace_card,
    sign,
    signup_state,
    use_card,
)
from tests.helpers.app import with_stripe
from tests.helpers.stripe_proxy import StripeProxy

CREATING = ("/v1/customers", "/v1/setup_intents", "/v1/payment_intents")


@pytest.fixture
def proxy(stripe_api: str):
    """A recording proxy in front of the emulator."""
    running = StripeProxy(stripe_api).start()
    yield running
    running.stop()


@pytest.fixture
def app_config(app_config: dict, proxy: StripeProxy) -> dict:
    """The app talks to the emulator through the proxy."""
    return with_stripe(app_config, proxy.url)


def creating_calls(proxy: StripeProxy) -> list:
    """The requests that create or move something at Stripe."""
    return [
        seen
        for seen in proxy.seen
        if seen.method == "POST" and (seen.path in CREATING or seen.path.endswith(("/capture", "/cancel")))
    ]


def test_each_new_attempt_has_a_key_of_its_own(app, sessions, proxy):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2)

    declined = sign(app, pledge, ann)
    assert use_card(app, declined, ann, TestCard.DECLINED_AT_SETUP).status == "declined"
    assert use_card(app, declined, ann, TestCard.SUCCEEDS).status == "saved"  # another card

    abandoned = sign(app, pledge, cat)
    use_card(app, abandoned, cat, TestCard.REQUIRES_AUTHENTICATION)
    assert authenticate_card(app, abandoned, cat, succeed=False).status == "declined"
    assert use_card(app, abandoned, cat, TestCard.SUCCEEDS).status == "saved"  # another go

    fixed = pledge_with_card(app, pledge, ben, TestCard.DECLINES_AT_CHARGE)
    assert pledge_state(app, pledge) == "collecting"
    due(app)
    replace_card(app, fixed, ben, TestCard.SUCCEEDS)
    due(app, hours=73)
    assert [signup_state(app, s) for s in (declined, abandoned, fixed)] == ["captured"] * 3

    calls = creating_calls(proxy)
    assert [c for c in calls if not c.idempotency_key] == []
    reused = {key: n for key, n in Counter(c.idempotency_key for c in calls).items() if n > 1}
    assert reused == {}
    setups = [c.idempotency_key for c in calls if c.path == "/v1/setup_intents"]
    assert len(setups) == 6  # two tries each for three pledgers
