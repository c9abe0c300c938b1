"""Registering a taken address takes about as long as registering a new one (no timing oracle)."""

from __future__ import annotations

import statistics
import time

from pledgebank.accounts import services
from pledgebank.accounts.tokens import LinkSigner
from pledgebank.db import unit_of_work
from tests.helpers.app import PASSWORD, WHEN, make_user

TRIES = 7
# Costlier than the suite's default so the hash dominates each try, as it does in production;
# cheap enough that the test stays quick.
TIME_COST, MEMORY_KIB = 2, 16 * 1024


def _register_seconds(sessions, address: str) -> float:
    signer = LinkSigner("test-secret-key-that-is-long-enough-0123456789")
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        services.register(
            session, email=address, display_name="Somebody", password=PASSWORD, now=WHEN, signer=signer
        )
    return time.perf_counter() - started


def test_taken_and_new_addresses_take_comparable_time(app, sessions):
    make_user(sessions, "known@example.org")
    services.configure_password_hashing(time_cost=TIME_COST, memory_kib=MEMORY_KIB)
    try:
        new, taken = [], []
        for attempt in range(TRIES):  # interleaved, so a busy moment on the machine hits both alike
            new.append(_register_seconds(sessions, f"new-{attempt}@example.org"))
            taken.append(_register_seconds(sessions, "known@example.org"))
    finally:
        services.configure_password_hashing(
            time_cost=app.config["PASSWORD_HASH_TIME_COST"], memory_kib=app.config["PASSWORD_HASH_MEMORY_KIB"]
        )
    ratio = statistics.median(taken) / statistics.median(new)
    # A generous band: without the matching work a taken address answers many times faster.
    assert 0.5 < ratio < 2, f"taken/new median time ratio {ratio:.2f}"
