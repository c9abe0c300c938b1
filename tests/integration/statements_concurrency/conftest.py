"""Bank statements under real concurrency on PostgreSQL: a connection per thread, released together."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from tests.helpers.concurrency import Outcome, concurrent_engine, run_together

# A wait on a lock that outlives these is a deadlock or a regression: fail, do not hang.
THREAD_TIMEOUT_S = 120


@pytest.fixture
def app_config(app_config: dict, database_url: str) -> dict:
    """The usual test settings, with an engine that gives every thread its own connection."""
    engine = concurrent_engine(
        database_url, pool_size=55, lock_timeout_ms=20_000, statement_timeout_ms=40_000, pool_timeout=60
    )
    return {**app_config, "ENGINE": engine}


@pytest.fixture
def together() -> Callable[..., list[Outcome]]:
    """run_together with this folder's timeout."""
    return partial(run_together, timeout=THREAD_TIMEOUT_S)
