"""The task queue under faults on PostgreSQL, with the app pointed at the Stripe emulator."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from tests.helpers.app import with_stripe
from tests.helpers.concurrency import Outcome, concurrent_engine, run_together

THREAD_TIMEOUT_S = 180


@pytest.fixture
def app_config(app_config: dict, database_url: str, stripe_api: str) -> dict:
    """A pool big enough for a worker thread beside the test, pointed at a freshly emptied emulator."""
    engine = concurrent_engine(
        database_url, pool_size=20, lock_timeout_ms=20_000, statement_timeout_ms=40_000, pool_timeout=60
    )
    return with_stripe({**app_config, "ENGINE": engine}, stripe_api)


@pytest.fixture
def together() -> Callable[..., list[Outcome]]:
    """run_together with this folder's timeout."""
    return partial(run_together, timeout=THREAD_TIMEOUT_S)
