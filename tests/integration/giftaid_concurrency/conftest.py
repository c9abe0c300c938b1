"""Gift Aid claims under real concurrency on PostgreSQL: a pool with a connection per thread."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from tests.helpers.concurrency import Outcome, concurrent_engine, run_together

THREAD_TIMEOUT_S = 120


@pytest.fixture
def app_config(app_config: dict, database_url: str) -> dict:
    """The usual settings with a pool big enough for the threads."""
    engine = concurrent_engine(
        database_url, pool_size=10, lock_timeout_ms=20_000, statement_timeout_ms=40_000, pool_timeout=60
    )
    return {**app_config, "ENGINE": engine}


@pytest.fixture
def together() -> Callable[..., list[Outcome]]:
    """run_together with this folder's timeout."""
    return partial(run_together, timeout=THREAD_TIMEOUT_S)
