"""Loading the settings from a controlled environment: nothing of the machine's PLEDGEBANK_* variables, and
a production configuration that passes every check, changed one setting at a time."""

from __future__ import annotations

import os

import pytest

from pledgebank import config

GOOD_PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "Jq7vR2mXw9LpT4sNc8bYd3kHf6gZa1eU",
    "DATABASE_URL": "postgresql+psycopg://pledgebank@db.internal/pledgebank",
    "BASE_URL": "https://pledgebank.example",
    "MAIL_SERVER": "smtp.example.org",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "STRIPE_SECRET_KEY": "sk_live_0123456789",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_0123456789",
    "STRIPE_WEBHOOK_SECRET": "whsec_0123456789",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Only the variables a test sets are seen: for every test of a module that imports it."""
    for name in list(os.environ):
        if name.startswith(config.PREFIX):
            monkeypatch.delenv(name)


def load_production(monkeypatch, tmp_path, **changes):
    """The settings of the good production environment with `changes` (None: the variable unset)."""
    for name, value in {**GOOD_PRODUCTION, **changes}.items():
        if value is None:
            monkeypatch.delenv(config.PREFIX + name, raising=False)
        else:
            monkeypatch.setenv(config.PREFIX + name, value)
    return config.load(tmp_path, None, None)
