"""The levy pages and API run against the Stripe emulator with the real SDK, in Stripe's test mode."""

from __future__ import annotations

import pytest

from tests.support import with_stripe


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)
