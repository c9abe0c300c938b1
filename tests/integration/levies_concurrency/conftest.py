"""Levies under real concurrency on PostgreSQL, with the app pointed at the Stripe emulator."""

from __future__ import annotations

from tests.helpers.concurrency import folder_fixtures

app_config, together = folder_fixtures(timeout=180, pool_size=20, emulated=True)
