"""Whether this process can serve: the database answers and is migrated to head, Redis (when configured)
answers, and production has its Stripe key. Each check says only ok or failed; why is for the operator's logs.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

from pledgebank.migrate import alembic_config

log = logging.getLogger(__name__)
# Seconds a check may wait for Redis before it counts as unreachable.
REDIS_TIMEOUT = 2


@cache
def migration_heads() -> frozenset[str]:
    """The revisions this code's migrations end at (read once: they cannot change while it runs)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def database_checks(engine: Engine) -> dict[str, bool]:
    """{"database": reachable, "migrations": at head}; the second is False whenever the first is."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:
        log.warning("readiness: database unreachable", extra={"error": type(error).__name__})
        return {"database": False, "migrations": False}
    at_head = current == migration_heads()
    if not at_head:
        log.warning("readiness: database not migrated to head")
    return {"database": True, "migrations": at_head}


@cache
def _redis_client(url: str) -> Any:
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT)


def redis_check(url: str) -> bool:
    """Whether Redis at url answers a PING."""
    try:
        return bool(_redis_client(url).ping())
    except Exception as error:
        log.warning("readiness: redis unreachable", extra={"error": type(error).__name__})
        return False


def checks(engine: Engine, config: dict[str, Any]) -> dict[str, bool]:
    """Every readiness check that applies to these settings, by name."""
    results = database_checks(engine)
    if config.get("REDIS_URL"):
        results["redis"] = redis_check(config["REDIS_URL"])
    if config.get("ENV") == "production":
        results["stripe"] = bool(config.get("STRIPE_SECRET_KEY"))
    return results
