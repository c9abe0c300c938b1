"""Helpers shared by several test files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pledgebank import PROJECT_ROOT
from tests.helpers.environment import free_port

DEADLINE = 20  # seconds for gunicorn to stop on its own, or to answer


GUNICORN = (sys.executable, "-m", "gunicorn")


def production_environment(database_url: str, **settings: str) -> dict[str, str]:
    """Well-formed production settings for a gunicorn process (fake Stripe keys, a mail server never used),
    with none of this machine's PLEDGEBANK_* variables; `settings` add PLEDGEBANK_<NAME> variables."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PLEDGEBANK_")}
    env.update(
        {
            "PLEDGEBANK_ENV": "production",
            "PLEDGEBANK_SECRET_KEY": "Jq7vR2mXw9LpT4sNc8bYd3kHf6gZa1eU",
            "PLEDGEBANK_DATABASE_URL": database_url,
            "PLEDGEBANK_BASE_URL": "https://pledgebank.example",
            "PLEDGEBANK_MAIL_SERVER": "smtp.example.invalid",
            "PLEDGEBANK_STRIPE_SECRET_KEY": "sk_test_0123456789",
            "PLEDGEBANK_STRIPE_PUBLISHABLE_KEY": "pk_test_0123456789",
            "PLEDGEBANK_STRIPE_WEBHOOK_SECRET": "whsec_0123456789",
        }
    )
    env.update({f"PLEDGEBANK_{name}": value for name, value in settings.items()})
    return env


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, extra: tuple[str, ...] = ()
) -> Iterator[tuple[subprocess.Popen, int]]:
    """`gunicorn -w N app:app` from the project folder, as the README runs it; stopped afterwards."""
    port = free_port()
    process = subprocess.Popen(
        # No control socket: it lives at one path per user, which servers started side by side would share.
        [*GUNICORN, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--no-control-socket", *extra, "app:app"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()
        process.stderr.close()


def _get(port: int, path: str, process: subprocess.Popen):
    """GET a page once gunicorn answers, within the deadline."""
    deadline = time.monotonic() + DEADLINE
    while True:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=DEADLINE)
        except OSError:  # not listening yet (URLError), or the connection dropped while workers boot
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {process.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer within {DEADLINE} s")
            time.sleep(0.1)
