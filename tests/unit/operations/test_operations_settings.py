"""Operations settings: production refuses a weak metrics token; the log level is one of Python's."""

from __future__ import annotations

import os

import pytest

from pledgebank import config

GOOD = {
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
    """Only the variables a test sets are seen."""
    for name in list(os.environ):
        if name.startswith(config.PREFIX):
            monkeypatch.delenv(name)


def _load(monkeypatch, tmp_path, **changes):
    for name, value in {**GOOD, **changes}.items():
        monkeypatch.setenv(config.PREFIX + name, value)
    return config.load(tmp_path, None, None)


@pytest.mark.parametrize("token", ["short", "a" * 40, "abcd" * 10])
def test_production_refuses_a_weak_metrics_token(monkeypatch, tmp_path, token):
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_METRICS_TOKEN"):
        _load(monkeypatch, tmp_path, METRICS_TOKEN=token)


def test_production_takes_a_strong_metrics_token_or_none(monkeypatch, tmp_path):
    assert _load(monkeypatch, tmp_path)["METRICS_TOKEN"] == ""
    token = "Mx8vQ2rTw9LpZ4sNc7bYd3kHf6gJa1eU"
    assert _load(monkeypatch, tmp_path, METRICS_TOKEN=token)["METRICS_TOKEN"] == token


def test_the_log_level_is_one_of_python_s(monkeypatch, tmp_path):
    assert _load(monkeypatch, tmp_path)["LOG_LEVEL"] == "INFO"
    assert _load(monkeypatch, tmp_path, LOG_LEVEL="warning")["LOG_LEVEL"] == "WARNING"
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_LOG_LEVEL"):
        _load(monkeypatch, tmp_path, LOG_LEVEL="loud")
