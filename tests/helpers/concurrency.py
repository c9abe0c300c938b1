"""Real concurrency for tests on PostgreSQL: an engine with a connection per thread and lock timeouts (so a
deadlock fails instead of hanging), and threads released together by a barrier."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from pledgebank.db import make_engine
from tests.helpers.app import with_stripe


def concurrent_engine(
    database_url: str, *, pool_size: int, lock_timeout_ms: int, statement_timeout_ms: int, pool_timeout: int
) -> Engine:
    """An engine whose pool gives every thread its own connection, with lock and statement timeouts."""
    if not database_url.startswith("postgresql"):
        return make_engine(database_url)
    options = f"-c lock_timeout={lock_timeout_ms} -c statement_timeout={statement_timeout_ms}"
    return make_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout,
        connect_args={"options": options},
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one thread's work returned, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None


def run_together(count: int, work: Callable[[int], Any], timeout: float) -> list[Outcome]:
    """Run work(0) ... work(count - 1) in threads released together by a barrier; outcomes in index order."""
    barrier = threading.Barrier(count, timeout=timeout)
    outcomes: list[Outcome | None] = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = Outcome(value=work(index))
        except BaseException as exc:
            outcomes[index] = Outcome(error=exc)

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {count} threads did not finish within {timeout} s"
    return [outcome for outcome in outcomes if outcome is not None]


def pooled_app_config(
    *,
    pool_size: int,
    lock_timeout_ms: int = 20_000,
    statement_timeout_ms: int = 40_000,
    pool_timeout: int = 60,
    emulated: bool = False,
) -> Any:
    """An `app_config` fixture: the usual settings, with an engine giving every thread its own connection
    (with `emulated`, pointed at a freshly emptied Stripe emulator). A module or conftest takes it as
    `app_config = pooled_app_config(...)`."""

    @pytest.fixture
    def app_config(app_config: dict, database_url: str, request: pytest.FixtureRequest) -> dict:
        engine = concurrent_engine(
            database_url,
            pool_size=pool_size,
            lock_timeout_ms=lock_timeout_ms,
            statement_timeout_ms=statement_timeout_ms,
            pool_timeout=pool_timeout,
        )
        config = {**app_config, "ENGINE": engine}
        return with_stripe(config, request.getfixturevalue("stripe_api")) if emulated else config

    return app_config


def folder_fixtures(*, timeout: float, **pool: Any) -> tuple[Any, Any]:
    """A concurrency folder's `app_config` (pooled_app_config with `pool`) and `together` (run_together with
    the folder's timeout: a wait on a lock that outlives it is a deadlock or a regression, so it fails instead
    of hanging). A conftest takes both: `app_config, together = folder_fixtures(...)`."""

    @pytest.fixture
    def together() -> Callable[..., list[Outcome]]:
        return partial(run_together, timeout=timeout)

    return pooled_app_config(**pool), together
