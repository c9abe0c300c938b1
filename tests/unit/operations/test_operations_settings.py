"""Operations settings: production refuses a weak metrics token; the log level is one of Python's."""

from __future__ import annotations

import pytest

from pledgebank import config
from tests.helpers.settings import clean_environment, load_production  # noqa: F401 - the fixture, for every test here


@pytest.mark.parametrize("token", ["short", "a" * 40, "abcd" * 10])
def test_production_refuses_a_weak_metrics_token(monkeypatch, tmp_path, token):
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_METRICS_TOKEN"):
        load_production(monkeypatch, tmp_path, METRICS_TOKEN=token)


def test_production_takes_a_strong_metrics_token_or_none(monkeypatch, tmp_path):
    assert load_production(monkeypatch, tmp_path)["METRICS_TOKEN"] == ""
    token = "Mx8vQ2rTw9LpZ4sNc7bYd3kHf6gJa1eU"
    assert load_production(monkeypatch, tmp_path, METRICS_TOKEN=token)["METRICS_TOKEN"] == token


def test_the_log_level_is_one_of_python_s(monkeypatch, tmp_path):
    assert load_production(monkeypatch, tmp_path)["LOG_LEVEL"] == "INFO"
    assert load_production(monkeypatch, tmp_path, LOG_LEVEL="warning")["LOG_LEVEL"] == "WARNING"
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_LOG_LEVEL"):
        load_production(monkeypatch, tmp_path, LOG_LEVEL="loud")
