"""Fund transfers under real concurrency on PostgreSQL: a connection per thread, released together."""

from __future__ import annotations

from tests.helpers.concurrency import folder_fixtures

app_config, together = folder_fixtures(timeout=120, pool_size=55)
