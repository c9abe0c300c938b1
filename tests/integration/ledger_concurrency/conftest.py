"""The ledger under real concurrency on PostgreSQL: a connection per thread, threads released together."""

from __future__ import annotations

from tests.helpers.concurrency import folder_fixtures

app_config, together = folder_fixtures(
    timeout=90, pool_size=50, lock_timeout_ms=15_000, statement_timeout_ms=30_000, pool_timeout=30
)
