"""The email-claims tests drive the real services against the Stripe emulator and record every email."""

from __future__ import annotations

import pytest

from tests.helpers.app import with_stripe
from tests.helpers.email_claims import recorder  # noqa: F401 - the fixture, for every test here


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)
