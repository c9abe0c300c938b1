"""Helpers shared by several test files."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

PG_ADMIN_URL = os.environ.get("PLEDGEBANK_TEST_DATABASE_URL", "")


START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
